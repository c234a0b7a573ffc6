import { login } from '../support/graphql-caller';
import { postgresEnv } from '../support/service-stores';
import type { Env } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { spawnUsersCli } from './spawn-users-cli';

const PASSWORD = 'postgres cli passphrase 1';
const ME = `{ me { username authorities } }`;

describe('npm run users on PostgreSQL', () => {
  let env: Env;
  let server: TestServer;

  beforeAll(async () => {
    env = await postgresEnv({ SERVER_SECRET: 'users-cli-postgres-server-secret-32-bytes' });
    server = await startTestServer(env);
  });
  afterAll(() => server.close());

  it('creates a user the service logs in, lists its sessions, and force-logout ends them', async () => {
    const created = await spawnUsersCli(['create', 'olga', '--authority', 'ROLE_OPS'], env, `${PASSWORD}\n`);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const session = await login(server.call, 'olga', PASSWORD, 'cli-test/1.0');
    expect((await server.call(ME, { token: session.accessToken })).data).toEqual({ me: { username: 'olga', authorities: ['ROLE_OPS'] } });

    const sessions = await spawnUsersCli(['sessions', 'olga', '--json'], env);
    expect(sessions.code).toBe(0);
    expect(JSON.parse(sessions.stdout).sessions.map((one: { id: string }) => one.id)).toEqual([session.session.id]);

    const forced = await spawnUsersCli(['force-logout', 'olga'], env);
    expect({ code: forced.code, stdout: forced.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/1 session/) });
    expect((await server.call(ME, { token: session.accessToken })).status).toBe(401);
  });
});
