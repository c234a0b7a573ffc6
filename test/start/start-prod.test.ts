import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { CREATE_USER, createGraphQLCaller, LOGIN, login } from '../support/graphql-caller';
import { spawnUntilReady, stopChild } from '../support/spawn-until-ready';
import { clusterNodesFromSetup, TEST_JWT_SECRET, uniqueKeyPrefix } from '../support/test-env';

const run = promisify(execFile);
const ROOT = `${__dirname}/../..`;
/**
 * The command `npm run start:prod` runs, run here without npm in between, as a container's
 * CMD should: the signal reaches the service, and its exit code is its own.
 */
const START_PROD = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'];
const ADMIN_PASSWORD = 'an operator chose this one';
const USER_PASSWORD = 'a burst user password';
const BURST = 24;
/** Each login of the burst is another user's: one user's concurrent attempts are bounded by the brute-force guard. */
const burstUser = (index: number) => `burst-user-${index}`;

interface Answer {
  readonly status: number;
  readonly body: { data?: { login?: { accessToken?: string } }; errors?: unknown[] };
}

/** One login on a connection of its own; the Promise settles with the answer, or rejects if the connection fails. */
function loginOnOwnConnection(url: URL, username: string, onResponse: () => void): Promise<Answer> {
  const payload = JSON.stringify({ query: LOGIN, variables: { input: { username, password: USER_PASSWORD } } });
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        onResponse();
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

describe('npm run start:prod: the compiled service under plain node', () => {
  let service: ChildProcess;
  let output: () => string;
  let url: string;

  beforeAll(async () => {
    // What an operator runs: build, then start the compiled code.
    await run('npm', ['run', 'build'], { cwd: ROOT });
    const [command, ...args] = START_PROD.split(' ');
    const started = await spawnUntilReady(
      'npm run start:prod',
      command,
      args,
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: '0',
          JWT_SECRET: TEST_JWT_SECRET,
          SERVER_SECRET: 'a-server-secret-that-is-long-enough-for-production',
          REDIS_CLUSTER_NODES: clusterNodesFromSetup(),
          REDIS_KEY_PREFIX: uniqueKeyPrefix(),
          BOOTSTRAP_ADMIN_USERNAME: 'admin',
          BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
          BCRYPT_COST: '10',
          // The burst comes from one address: let all of it be in flight at once.
          BRUTE_FORCE_IP_FAILURE_FACTOR: '100',
        },
      },
      (soFar) => /"url":"(http:\/\/[^"]+)"[^\n]*auth service listening/.exec(soFar)?.[1],
    );
    service = started.child;
    output = started.output;
    url = started.ready;
  }, 240_000);

  afterAll(async () => {
    await stopChild(service, 'SIGKILL');
  });

  it('is the compiled entry point under plain node, no ts-node', () => {
    expect(START_PROD).toBe('node dist/src/main.js');
    expect(service.spawnargs).toEqual(['node', 'dist/src/main.js']);
  });

  it('serves logins and administration in production mode on the cluster', async () => {
    const call = createGraphQLCaller(url);
    const admin = await login(call, 'admin', ADMIN_PASSWORD);
    expect(admin.user.authorities).toEqual(['ROLE_ADMIN']);
    for (let index = 0; index < BURST; index += 1) {
      const created = await call(CREATE_USER, {
        token: admin.accessToken,
        variables: { input: { username: burstUser(index), password: USER_PASSWORD } },
      });
      expect(created.data?.createUser.username).toBe(burstUser(index));
    }
  }, 60_000);

  it('on SIGTERM during a burst of logins answers every one it had taken, then exits 0 and takes no more', async () => {
    const target = new URL(url);
    let signalled = false;
    const exited = once(service, 'exit');
    // bcrypt keeps these in flight for a while; the first answer means the server holds all the others.
    const answers = Promise.allSettled(
      Array.from({ length: BURST }, (_, index) =>
        loginOnOwnConnection(target, burstUser(index), () => {
          if (signalled) return;
          signalled = true;
          service.kill('SIGTERM');
        }),
      ),
    );
    const settled = await answers;
    const refused = settled.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toEqual([]);
    const answered = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
    expect(answered.map((answer) => answer?.status)).toEqual(Array(BURST).fill(200));
    expect(answered.every((answer) => typeof answer?.body.data?.login?.accessToken === 'string')).toBe(true);

    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(output()).toContain('shutting down');
    await expect(loginOnOwnConnection(target, burstUser(0), () => undefined)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);
});
