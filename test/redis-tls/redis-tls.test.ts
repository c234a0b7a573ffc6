import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startOrdersSubgraph, type OrdersSubgraph } from '../../examples/federation/orders-subgraph';
import { closeRedisClient, createRedisClient, createSubgraphAuthenticator, type RedisClient } from '@graphql-auth-service/subgraph';
import {
  createCertificateAuthority,
  startLocalCluster,
  startStandaloneRedis,
  type CertificateAuthority,
  type LocalCluster,
  type LocalTlsMaterial,
  type RedisAddress,
  type StandaloneRedis,
} from '../../tools/redis-cluster/launcher';
import { spawnUsersCli } from '../cli/spawn-users-cli';
import { createGraphQLCaller, login } from '../support/graphql-caller';
import { TEST_JWT_SECRET, uniqueKeyPrefix, type Env } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

jest.setTimeout(120_000);

/** A password with characters that need escaping in a URL and quoting in a shell. */
const REDIS_PASSWORD = 'tls pass/word:@1';
const USER_PASSWORD = 'correct horse battery';
const ME = '{ me { id username } }';
const ROOT = path.join(__dirname, '..', '..');

const nodeList = (nodes: readonly RedisAddress[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(',');

function tlsOf(launch: { access: { tls?: LocalTlsMaterial } }): LocalTlsMaterial {
  if (!launch.access.tls) throw new Error('expected a TLS launch');
  return launch.access.tls;
}

/** The service's environment for a Redis over TLS; no plain-text port is open. */
function serviceEnv(redis: Env): Env {
  return {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_KEY_PREFIX: uniqueKeyPrefix(),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    ...redis,
  };
}

interface FailedStart {
  readonly code: number | null;
  readonly output: string;
}

/** `npm start` as an operator runs it, expected to stop by itself; stdout and stderr together. */
async function failedNpmStart(env: Env): Promise<FailedStart> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    // The log at info too: nothing in it may carry the password either.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(deadline);
  return { code, output };
}

function expectCleanFailure(start: FailedStart, message: string | RegExp): void {
  expect(start.code).not.toBe(0);
  expect(start.output).toMatch(message);
  expect(start.output).not.toContain(REDIS_PASSWORD);
  expect(start.output).not.toContain(encodeURIComponent(REDIS_PASSWORD));
  // One line that says why, not a stack trace.
  expect(start.output).not.toMatch(/\n\s+at /);
  expect(start.output).not.toMatch(/auth service listening/);
}

async function readyz(server: TestServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL('/readyz', server.url));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Redis over TLS with a password: a TLS-only, password-protected 6-node cluster and a single node', () => {
  let cluster: LocalCluster;
  let single: StandaloneRedis;
  let otherCa: CertificateAuthority;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'redis-tls-test-'));
    [cluster, single, otherCa] = await Promise.all([
      startLocalCluster({ tls: true, password: REDIS_PASSWORD }),
      startStandaloneRedis({ tls: true, password: REDIS_PASSWORD }),
      // A CA of its own that never signed the nodes' certificates.
      createCertificateAuthority(scratch, 'untrusted-ca'),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), single?.stop()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const clusterRedisEnv = (overrides: Env = {}): Env => ({
    REDIS_CLUSTER_NODES: nodeList(cluster.nodes),
    REDIS_PASSWORD,
    REDIS_TLS: 'true',
    REDIS_TLS_CA_FILE: tlsOf(cluster).caFile,
    ...overrides,
  });

  it('serves no plain text: a client without TLS gets nowhere', async () => {
    const plain = new Redis({ ...cluster.nodes[0], password: REDIS_PASSWORD, lazyConnect: true, retryStrategy: () => null, connectTimeout: 2_000 });
    plain.on('error', () => undefined);
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    expect(plain.status).toBe('end');
  });

  describe('the service on the cluster', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(serviceEnv(clusterRedisEnv()));
      await server.deps.accounts.create({ username: 'tls-user', password: USER_PASSWORD, authorities: ['orders:read'] });
    });
    afterAll(() => server?.close());

    it('logs in, answers me, logs out (the token is refused afterwards), and is ready', async () => {
      const session = await login(server.call, 'tls-user', USER_PASSWORD);
      const me = await server.call<{ me: { username: string } }>(ME, { token: session.accessToken });
      expect(me.data?.me.username).toBe('tls-user');

      expect((await server.call(`mutation { logout }`, { token: session.accessToken })).data).toEqual({ logout: true });
      const after = await server.call(ME, { token: session.accessToken });
      expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

      expect(await readyz(server)).toEqual({ status: 200, body: { status: 'ready', ready: true, store: 'redis-cluster' } });
    });

    it('the kit: a subgraph whose createRedisClient has the same TLS and password sees the service\'s sessions', async () => {
      const tls = tlsOf(cluster);
      const redis: RedisClient = createRedisClient({ kind: 'cluster', nodes: cluster.nodes, password: REDIS_PASSWORD, tls: { ca: tls.ca } });
      let orders: OrdersSubgraph | undefined;
      try {
        await redis.connect();
        const authenticate = createSubgraphAuthenticator({
          issuer: server.config.jwt.issuer,
          audience: server.config.jwt.audience,
          keys: { secret: TEST_JWT_SECRET },
          sessions: { redis, keyPrefix: server.config.redisKeyPrefix },
        });
        orders = await startOrdersSubgraph({ authenticate, gatewaySecret: randomBytes(32).toString('base64url') });
        const ordersCall = createGraphQLCaller(orders.url);

        const session = await login(server.call, 'tls-user', USER_PASSWORD);
        const seen = await ordersCall<{ orders: { id: string }[] }>('{ orders { id } }', { token: session.accessToken });
        expect(seen.errors).toBeUndefined();
        expect(seen.data?.orders.length).toBeGreaterThan(0);

        await server.call(`mutation { logout }`, { token: session.accessToken });
        const refused = await ordersCall('{ orders { id } }', { token: session.accessToken });
        expect(refused.status).toBe(401);
        expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      } finally {
        await orders?.stop();
        await closeRedisClient(redis);
      }
    });

    it('the CLI (npm run users) uses the same settings: creates a user and lists it', async () => {
      const env = { ...serviceEnv(clusterRedisEnv()), REDIS_KEY_PREFIX: server.config.redisKeyPrefix };
      const created = await spawnUsersCli(['create', 'cli-made'], env, `${USER_PASSWORD}\n`);
      expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
      const listed = await spawnUsersCli(['list', '--json'], env);
      expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
      expect(listed.stdout).toContain('"cli-made"');
      expect(listed.stdout).toContain('"tls-user"');
      // And the service logs the CLI's user in.
      await expect(login(server.call, 'cli-made', USER_PASSWORD)).resolves.toMatchObject({ user: { username: 'cli-made' } });
    });

    it('the CLI with a wrong password exits 3 naming the cause, without the password', async () => {
      const run = await spawnUsersCli(['list'], serviceEnv(clusterRedisEnv({ REDIS_PASSWORD: 'not the password' })));
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^error: Redis refused the password \(WRONGPASS\) for user "default"/);
      expect(run.stderr).not.toContain('not the password');
    });
  });

  describe('a single node over TLS with a password', () => {
    const cases: [string, () => Env][] = [
      [
        'a rediss:// URL carrying the password',
        () => ({ REDIS_URL: `rediss://:${encodeURIComponent(REDIS_PASSWORD)}@127.0.0.1:${single.port}`, REDIS_TLS_CA_FILE: tlsOf(single).caFile }),
      ],
      [
        'a redis:// URL with REDIS_TLS=true and REDIS_PASSWORD',
        () => ({ REDIS_URL: `redis://127.0.0.1:${single.port}`, REDIS_TLS: 'true', REDIS_PASSWORD, REDIS_TLS_CA_FILE: tlsOf(single).caFile }),
      ],
    ];

    it.each(cases)('with %s: logs in and answers me', async (_how, redisEnv) => {
      const server = await startTestServer(serviceEnv(redisEnv()));
      try {
        await server.deps.accounts.create({ username: 'single-user', password: USER_PASSWORD });
        const session = await login(server.call, 'single-user', USER_PASSWORD);
        const me = await server.call<{ me: { username: string } }>(ME, { token: session.accessToken });
        expect(me.data?.me.username).toBe('single-user');
        expect((await readyz(server)).body).toEqual({ status: 'ready', ready: true, store: 'redis' });
      } finally {
        await server.close();
      }
    });
  });

  describe('a start that cannot get in stops, saying why', () => {
    it('a wrong password on the cluster: npm start names WRONGPASS and the user, never the password', async () => {
      const start = await failedNpmStart(serviceEnv(clusterRedisEnv({ REDIS_PASSWORD: `${REDIS_PASSWORD}-wrong` })));
      expectCleanFailure(start, /auth service failed to start: Redis refused the password \(WRONGPASS\) for user "default" at 127\.0\.0\.1:\d+: check REDIS_USERNAME and REDIS_PASSWORD/);
    });

    it('no password for a node that requires one: NOAUTH', async () => {
      const { REDIS_PASSWORD: _none, ...withoutPassword } = clusterRedisEnv();
      const start = await failedNpmStart(serviceEnv(withoutPassword));
      expectCleanFailure(start, /auth service failed to start: Redis at 127\.0\.0\.1:\d+ requires a password \(NOAUTH\): set REDIS_PASSWORD/);
    });

    it('a CA that did not sign the nodes\' certificates: npm start names the certificate problem', async () => {
      const start = await failedNpmStart(serviceEnv(clusterRedisEnv({ REDIS_TLS_CA_FILE: otherCa.certFile })));
      expectCleanFailure(start, /auth service failed to start: Redis TLS certificate not trusted at 127\.0\.0\.1:\d+: SELF_SIGNED_CERT_IN_CHAIN — check REDIS_TLS_CA_FILE/);
    });

    it('the same through createDependencies, for a single node with a rediss:// URL', async () => {
      const env = serviceEnv({ REDIS_URL: `rediss://:${encodeURIComponent(REDIS_PASSWORD)}@127.0.0.1:${single.port}`, REDIS_TLS_CA_FILE: otherCa.certFile });
      await expect(startTestServer(env)).rejects.toThrow(/^Redis TLS certificate not trusted at 127\.0\.0\.1:\d+: SELF_SIGNED_CERT_IN_CHAIN — check REDIS_TLS_CA_FILE$/);
    });

    it('TLS left off for a TLS-only node: the hint says REDIS_TLS', async () => {
      const { REDIS_TLS: _tls, REDIS_TLS_CA_FILE: _ca, ...plain } = clusterRedisEnv();
      await expect(startTestServer(serviceEnv(plain))).rejects.toThrow(/ECONNRESET.*set REDIS_TLS=true/);
    });
  });

  describe('/readyz while the password is refused', () => {
    let server: TestServer;
    const NEW_PASSWORD = 'rotated-on-the-server';

    /** Sets every node's password, then closes the clients' connections so they log in again. */
    async function setNodePassword(from: string, to: string): Promise<void> {
      const tls = tlsOf(cluster);
      await Promise.all(
        cluster.nodes.map(async (node) => {
          const admin = new Redis({ ...node, password: from, tls: { ca: tls.ca }, lazyConnect: true, retryStrategy: () => null });
          try {
            await admin.connect();
            await admin.config('SET', 'masterauth', to);
            await admin.config('SET', 'requirepass', to);
            await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
          } finally {
            admin.disconnect();
          }
        }),
      );
    }

    beforeAll(async () => {
      server = await startTestServer(serviceEnv(clusterRedisEnv()));
    });
    afterAll(() => server?.close());

    it('answers 503 naming the refused password, and ready again once the password is back', async () => {
      expect((await readyz(server)).status).toBe(200);
      await setNodePassword(REDIS_PASSWORD, NEW_PASSWORD);
      try {
        const notReady = await until('/readyz to fail', async () => {
          const answer = await readyz(server);
          return answer.status === 503 ? answer : undefined;
        });
        expect(notReady.body).toEqual({
          status: 'not ready',
          ready: false,
          store: 'redis-cluster',
          detail: expect.stringMatching(/^Redis refused the password \(WRONGPASS\) for user "default" at 127\.0\.0\.1:\d+: check REDIS_USERNAME and REDIS_PASSWORD$/),
        });
        expect(JSON.stringify(notReady.body)).not.toContain(REDIS_PASSWORD);
      } finally {
        await setNodePassword(NEW_PASSWORD, REDIS_PASSWORD);
      }
      const ready = await until('/readyz to recover', async () => {
        const answer = await readyz(server);
        return answer.status === 200 ? answer : undefined;
      });
      expect(ready.body).toEqual({ status: 'ready', ready: true, store: 'redis-cluster' });
    });
  });
});

describe('mutual TLS: nodes that require a client certificate', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startLocalCluster({ tls: { clientCertificates: true }, password: REDIS_PASSWORD });
  }, 60_000);
  afterAll(() => cluster?.stop());

  const env = (): Env => {
    const tls = tlsOf(cluster);
    return serviceEnv({
      REDIS_CLUSTER_NODES: nodeList(cluster.nodes),
      REDIS_PASSWORD,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: tls.caFile,
      REDIS_TLS_CERT_FILE: tls.certFile ?? '',
      REDIS_TLS_KEY_FILE: tls.keyFile ?? '',
    });
  };

  it('the service with REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE logs in and answers me', async () => {
    const server = await startTestServer(env());
    try {
      await server.deps.accounts.create({ username: 'mtls-user', password: USER_PASSWORD });
      const session = await login(server.call, 'mtls-user', USER_PASSWORD);
      const me = await server.call<{ me: { username: string } }>(ME, { token: session.accessToken });
      expect(me.data?.me.username).toBe('mtls-user');
    } finally {
      await server.close();
    }
  });

  it('without a client certificate the start stops, saying one is required', async () => {
    const { REDIS_TLS_CERT_FILE: _cert, REDIS_TLS_KEY_FILE: _key, ...withoutCertificate } = env();
    await expect(startTestServer(withoutCertificate)).rejects.toThrow(/requires a client certificate .*set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE/);
  });
});
