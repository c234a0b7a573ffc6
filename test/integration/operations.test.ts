import { startLocalCluster, type LocalCluster } from '../../tools/redis-cluster/launcher';
import { clusterEnv } from '../support/test-env';
import { login, refreshTokenOf } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

async function metricValue(server: TestServer, pattern: RegExp): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const line = text.split('\n').find((candidate) => pattern.test(candidate));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('operations endpoints and logs', () => {
  const logLines: string[] = [];
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ LOG_LEVEL: 'info' }), { logLines });
    await server.deps.accounts.create({ username: 'olga', password: PASSWORD });
  });
  afterAll(() => server.close());

  it('answers /healthz and /readyz with JSON', async () => {
    const health = await fetch(new URL('/healthz', server.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('/readyz', server.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, store: 'redis-cluster' });
  });

  it('moves the login, token-check and latency metrics', async () => {
    const success = /^auth_logins_total\{outcome="success"\}/;
    const invalid = /^auth_logins_total\{outcome="invalid_credentials"\}/;
    const accepted = /^auth_token_checks_total\{outcome="accepted",reason=""\}/;
    const before = await Promise.all([success, invalid, accepted].map((pattern) => metricValue(server, pattern)));

    const { accessToken } = await login(server.call, 'olga', PASSWORD);
    await server.call(`mutation { login(input: { username: "olga", password: "wrong one" }) { accessToken } }`);
    await server.call(`{ me { username } }`, { token: accessToken });

    const after = await Promise.all([success, invalid, accepted].map((pattern) => metricValue(server, pattern)));
    expect(after[0] - before[0]).toBe(1);
    expect(after[1] - before[1]).toBe(1);
    expect(after[2] - before[2]).toBeGreaterThanOrEqual(1);
    expect(await metricValue(server, /^auth_store_operation_duration_seconds_count\{store="sessions",operation="create"\}/)).toBeGreaterThanOrEqual(1);
  });

  it('logs each request with an id, the user and the session, and never a token or a password', async () => {
    const payload = await login(server.call, 'olga', PASSWORD);
    await server.call(`{ me { username } }`, { token: payload.accessToken, headers: { 'x-request-id': 'req-olga-1' } });
    await server.call(`mutation($t: String) { refresh(refreshToken: $t) { accessToken } }`, { variables: { t: payload.refreshToken } });
    await server.call(`{ me { username } }`, { token: `${payload.accessToken}tampered` });

    const meLine = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.requestId === 'req-olga-1');
    expect(meLine).toMatchObject({ msg: 'request', status: 200, userId: payload.user.id, sessionId: payload.session.id, path: '/graphql' });

    const everything = logLines.join('\n');
    for (const secret of [payload.accessToken, refreshTokenOf(payload), refreshTokenOf(payload).split('.')[3], PASSWORD]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('/readyz follows the cluster', () => {
  let cluster: LocalCluster;
  let server: TestServer;

  beforeAll(async () => {
    cluster = await startLocalCluster();
    const nodes = cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
    server = await startTestServer(clusterEnv({ REDIS_CLUSTER_NODES: nodes }));
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await cluster.stop();
  });

  async function readiness(): Promise<number> {
    return (await fetch(new URL('/readyz', server.url))).status;
  }

  /** Polls, bounded, for the state a restart takes a moment to reach. */
  async function eventually(expected: number, withinMs: number): Promise<number> {
    const deadline = Date.now() + withinMs;
    let status = await readiness();
    while (status !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await readiness();
    }
    return status;
  }

  it('is not ready while the cluster is stopped and ready again once it is back', async () => {
    expect(await readiness()).toBe(200);
    for (const node of cluster.nodes) await cluster.stopNode(node.port);
    expect(await eventually(503, 10_000)).toBe(503);
    const body = (await (await fetch(new URL('/readyz', server.url))).json()) as { status: string };
    expect(body.status).toBe('not ready');

    for (const node of cluster.nodes) await cluster.startNode(node.port);
    expect(await eventually(200, 30_000)).toBe(200);
  }, 60_000);
});
