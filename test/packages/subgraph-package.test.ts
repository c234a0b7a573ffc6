import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createGraphQLCaller, login, type GraphQLCaller } from '../support/graphql-caller';
import { activeKeyEntry, pemKeyPair } from '../support/key-fixtures';
import {
  directDependencies,
  installedPackageNames,
  installFromRegistry,
  packAndInstall,
  SERVER_PACKAGES,
} from '../support/packed-package';
import { spawnUntilReady, stopChild } from '../support/spawn-until-ready';
import { clusterEnv, clusterNodesFromSetup } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PACKAGE_DIR = join(__dirname, '..', '..', 'packages', 'subgraph');
const PASSWORD = 'correct horse battery';

/**
 * A subgraph written by a team outside the repository: CommonJS, no TypeScript, its own
 * Apollo Server, and the installed kit for `@auth`, checking tokens through the auth
 * service's JWKS and sessions in the same Redis Cluster.
 */
const SUBGRAPH_SCRIPT = `
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { buildSubgraphSchema } = require('@apollo/subgraph');
const { parse } = require('graphql');
const {
  authDirectiveTransformer, authSubgraphTypeDefs, createAuthContext, createRedisClient, createSubgraphAuthenticator,
} = require('@graphql-auth-service/subgraph');

const typeDefs = parse(\`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  \${authSubgraphTypeDefs}
  type Query {
    notes: [String!]! @auth
    report: String! @auth(requires: ["reports:read"])
    status: String!
  }
\`);
const resolvers = {
  Query: {
    notes: (_source, _args, context) => ['note of ' + context.principal.userId],
    report: () => 'quarterly',
    status: () => 'up',
  },
};

(async () => {
  const nodes = process.env.REDIS_CLUSTER_NODES.split(',').map((entry) => {
    const [host, port] = entry.split(':');
    return { host, port: Number(port) };
  });
  const redis = createRedisClient({ kind: 'cluster', nodes });
  await redis.connect();
  const authenticate = createSubgraphAuthenticator({
    issuer: process.env.JWT_ISSUER,
    audience: process.env.JWT_AUDIENCE,
    keys: { jwksUrl: process.env.JWKS_URL },
    sessions: { redis, keyPrefix: process.env.KEY_PREFIX },
  });
  const schema = authDirectiveTransformer(buildSubgraphSchema({ typeDefs, resolvers }), {
    principalOf: (context) => context.principal,
  });
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: createAuthContext(authenticate),
  });
  process.stdout.write('subgraph ' + url + '\\n');
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
`;

describe('the @auth kit package, packed and installed into a project outside the repository', () => {
  let projectDir: string;
  let authService: TestServer;
  let subgraphProcess: ChildProcess | undefined;
  let subgraph: GraphQLCaller;
  let kitInstalled: Set<string>;
  let kitDependencies: string[];
  let packed: string[];

  beforeAll(async () => {
    projectDir = mkdtempSync(join(tmpdir(), 'subgraph-project-'));
    const { JWT_SECRET: _secret, ...env } = clusterEnv();
    authService = await startTestServer({ ...env, JWT_KEYS: JSON.stringify([activeKeyEntry('kit-ed', 'EdDSA', pemKeyPair('ed25519'))]) });
    await authService.deps.accounts.create({ username: 'kit-reader', password: PASSWORD, authorities: [] });
    await authService.deps.accounts.create({ username: 'kit-analyst', password: PASSWORD, authorities: ['reports:read'] });
    packed = await packAndInstall(PACKAGE_DIR, projectDir);
    // What the kit alone brings, before the project adds the framework it serves with.
    kitInstalled = await installedPackageNames(projectDir);
    kitDependencies = Object.keys(await directDependencies(projectDir, '@graphql-auth-service/subgraph')).sort();
    await installFromRegistry(projectDir, ['@apollo/server@^5', '@apollo/subgraph@^2']);
    writeFileSync(join(projectDir, 'subgraph.js'), SUBGRAPH_SCRIPT);
    const started = await spawnUntilReady(
      'installed subgraph',
      process.execPath,
      ['subgraph.js'],
      {
        cwd: projectDir,
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_CLUSTER_NODES: clusterNodesFromSetup(),
          KEY_PREFIX: authService.config.redisKeyPrefix,
          JWT_ISSUER: authService.config.jwt.issuer,
          JWT_AUDIENCE: authService.config.jwt.audience,
          JWKS_URL: new URL('/.well-known/jwks.json', authService.url).toString(),
        },
      },
      (output) => /^subgraph (\S+)$/m.exec(output)?.[1],
    );
    subgraphProcess = started.child;
    subgraph = createGraphQLCaller(started.ready);
  }, 240_000);

  afterAll(async () => {
    await stopChild(subgraphProcess);
    await authService?.close();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('brings graphql (its peer), its three runtime dependencies and nothing of the server', () => {
    expect(kitDependencies).toEqual(['@graphql-tools/utils', 'graphql', 'ioredis', 'jwa']);
    expect(SERVER_PACKAGES.filter((name) => kitInstalled.has(name))).toEqual([]);
    // Apollo Server is an optional peer: only a subgraph that uses createRepresentationCheck needs it.
    expect(kitInstalled.has('@apollo/server')).toBe(false);
  });

  it('ships JavaScript with type declarations and the session scripts, and no sources', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/auth/directive/auth-transformer.d.ts',
        'dist/sessions/lua/check-session.lua',
        'dist/sessions/lua/session-record.lua',
      ]),
    );
    expect(packed.filter((path) => path.startsWith('src/'))).toEqual([]);
  });

  it('enforces @auth with the session in the real cluster: anonymous, missing authority, allowed, logged out', async () => {
    const reader = await login(authService.call, 'kit-reader', PASSWORD);
    const analyst = await login(authService.call, 'kit-analyst', PASSWORD);

    expect((await subgraph('{ status }')).data).toEqual({ status: 'up' });
    const anonymous = await subgraph('{ notes }');
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    const notes = await subgraph('{ notes }', { token: reader.accessToken });
    expect(notes.data).toEqual({ notes: [`note of ${reader.user.id}`] });
    const forbidden = await subgraph('{ report }', { token: reader.accessToken });
    expect(forbidden.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await subgraph('{ report }', { token: analyst.accessToken })).data).toEqual({ report: 'quarterly' });

    const logout = await authService.call('mutation { logout }', { token: reader.accessToken });
    expect(logout.data).toEqual({ logout: true });
    const afterLogout = await subgraph('{ notes }', { token: reader.accessToken });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    // The other session is untouched.
    expect((await subgraph('{ report }', { token: analyst.accessToken })).data).toEqual({ report: 'quarterly' });
  }, 60_000);
});
