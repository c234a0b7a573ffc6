import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blocksUnder } from '../support/doc-blocks';
import { checkoutWithPackage } from '../support/package-checkout';
import { createGraphQLCaller, login, type GraphQLCaller } from '../support/graphql-caller';
import { activeKeyEntry, pemKeyPair } from '../support/key-fixtures';
import { spawnUntilReady, stopChild } from '../support/spawn-until-ready';
import { clusterEnv, clusterNodesFromSetup } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const run = promisify(execFile);
const PASSWORD = 'correct horse battery';
const SECTION = 'Quick start';
const codes = (response: { errors?: readonly { extensions?: { code?: string } }[] }) =>
  response.errors?.map((error) => error.extensions?.code);

describe('the subgraph quick start, run as written in a fresh project', () => {
  let workspace: string;
  let project: string;
  let auth: TestServer;
  let subgraphProcess: ChildProcess | undefined;
  let orders: GraphQLCaller;

  beforeAll(async () => {
    const { JWT_SECRET: _secret, ...env } = clusterEnv();
    auth = await startTestServer({ ...env, JWT_KEYS: JSON.stringify([activeKeyEntry('docs-ed', 'EdDSA', pemKeyPair('ed25519'))]) });
    await auth.deps.accounts.create({ username: 'alice', password: PASSWORD, authorities: ['orders:read'] });
    await auth.deps.accounts.create({ username: 'bob', password: PASSWORD, authorities: ['orders:read'] });
    await auth.deps.accounts.create({ username: 'carol', password: PASSWORD, authorities: [] });

    // The layout the blocks assume: the project next to a checkout of this repository (here the
    // kit and the installed node_modules, so its build never writes into the repository).
    workspace = mkdtempSync(join(tmpdir(), 'subgraph-quick-start-'));
    checkoutWithPackage(join(workspace, 'graphql-auth-service'), 'subgraph');
    project = join(workspace, 'orders');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'orders', version: '1.0.0', private: true }));

    const [subgraphSource] = blocksUnder('docs/subgraphs.md', SECTION, 'ts');
    writeFileSync(join(project, 'orders-subgraph.ts'), subgraphSource);
    const [installBlock, compileBlock, runBlock] = blocksUnder('docs/subgraphs.md', SECTION, 'sh');
    const shellEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    await run('bash', ['-e', '-c', installBlock], { cwd: project, env: shellEnv });
    await run('bash', ['-e', '-c', compileBlock], { cwd: project, env: shellEnv });

    const started = await spawnUntilReady(
      'the quick-start subgraph',
      'bash',
      ['-e', '-c', `exec ${runBlock}`],
      {
        cwd: project,
        env: {
          ...shellEnv,
          REDIS_CLUSTER_NODES: clusterNodesFromSetup(),
          REDIS_KEY_PREFIX: auth.config.redisKeyPrefix,
          JWT_ISSUER: auth.config.jwt.issuer,
          JWT_AUDIENCE: auth.config.jwt.audience,
          AUTH_JWKS_URL: new URL('/.well-known/jwks.json', auth.url).toString(),
          PORT: '0',
        },
      },
      (output) => /^orders subgraph on (\S+)$/m.exec(output)?.[1],
    );
    subgraphProcess = started.child;
    orders = createGraphQLCaller(started.ready);
  }, 300_000);

  afterAll(async () => {
    await stopChild(subgraphProcess);
    await auth?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('enforces @auth with the sessions of the auth service', async () => {
    const alice = await login(auth.call, 'alice', PASSWORD);
    const bob = await login(auth.call, 'bob', PASSWORD);
    const carol = await login(auth.call, 'carol', PASSWORD);
    const aliceOrder = `${alice.user.id}-1`;

    expect(codes(await orders('{ orders { id } }'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await orders('{ orders { id } }', { token: carol.accessToken }))).toEqual(['FORBIDDEN']);
    expect((await orders('{ orders { id item } }', { token: alice.accessToken })).data).toEqual({
      orders: [{ id: aliceOrder, item: 'Keyboard' }],
    });
    const othersOrder = await orders('query ($id: ID!) { order(id: $id) { id } }', { token: bob.accessToken, variables: { id: aliceOrder } });
    expect(codes(othersOrder)).toEqual(['FORBIDDEN']);

    expect((await auth.call('mutation { logout }', { token: alice.accessToken })).data).toEqual({ logout: true });
    const afterLogout = await orders('{ orders { id } }', { token: alice.accessToken });
    expect(afterLogout.status).toBe(401);
    expect(codes(afterLogout)).toEqual(['UNAUTHENTICATED']);
  });
});
