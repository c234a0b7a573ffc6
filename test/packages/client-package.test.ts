import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installedPackageNames, packAndInstall, SERVER_PACKAGES } from '../support/packed-package';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const run = promisify(execFile);
const PACKAGE_DIR = join(__dirname, '..', '..', 'packages', 'client');
const PASSWORD = 'correct horse battery';
/** Besides the server's own packages, an SPA needs no Redis client and no GraphQL server. */
const NOT_FOR_AN_SPA = [...SERVER_PACKAGES, 'ioredis', '@apollo/server'];

/** What an SPA does with the installed package, in a process of its own: CommonJS, no TypeScript. */
const SPA_SCRIPT = `
const { createAuthClient, LoginDocument, MeDocument, RefreshDocument, LogoutDocument, GraphQLRequestError } = require('@graphql-auth-service/client');
(async () => {
  const client = createAuthClient({ url: process.env.URL });
  const { login } = await client.request(LoginDocument, { input: { username: process.env.USERNAME, password: process.env.PASSWORD } });
  const { me } = await client.request(MeDocument, undefined, { token: login.accessToken });
  const { refresh } = await client.request(RefreshDocument, { refreshToken: login.refreshToken });
  const { logout } = await client.request(LogoutDocument, undefined, { token: refresh.accessToken });
  let afterLogout;
  try {
    await client.request(MeDocument, undefined, { token: refresh.accessToken });
    afterLogout = 'accepted';
  } catch (error) {
    afterLogout = error instanceof GraphQLRequestError ? error.code : String(error);
  }
  process.stdout.write(JSON.stringify({ me, rotated: refresh.refreshToken !== login.refreshToken, logout, afterLogout }));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
`;

describe('the client package, packed and installed into a project outside the repository', () => {
  let workDir: string;
  let server: TestServer;
  let packed: string[];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'spa-project-'));
    server = await startTestServer(clusterEnv());
    await server.deps.accounts.create({ username: 'spa-user', password: PASSWORD, authorities: [] });
    packed = await packAndInstall(PACKAGE_DIR, workDir);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('brings its two small dependencies and nothing of the server', async () => {
    const installed = await installedPackageNames(workDir);
    expect([...installed].sort()).toEqual(['@graphql-auth-service/client', '@graphql-typed-document-node/core', 'graphql']);
    expect(NOT_FOR_AN_SPA.filter((name) => installed.has(name))).toEqual([]);
  });

  it('ships JavaScript with type declarations, and the operations it was generated from', () => {
    expect(packed).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/generated/graphql.d.ts', 'operations/login.graphql']));
    expect(packed.filter((path) => path.startsWith('src/'))).toEqual([]);
  });

  it('logs in, reads me, refreshes, and logs out against the real service', async () => {
    writeFileSync(join(workDir, 'spa.js'), SPA_SCRIPT);
    const { stdout } = await run('node', ['spa.js'], {
      cwd: workDir,
      env: { ...process.env, URL: server.url, USERNAME: 'spa-user', PASSWORD },
    });
    expect(JSON.parse(stdout)).toEqual({
      me: { id: expect.any(String), username: 'spa-user', authorities: [], disabled: false, createdAt: expect.any(String) },
      rotated: true,
      logout: true,
      afterLogout: 'UNAUTHENTICATED',
    });
  }, 60_000);
});
