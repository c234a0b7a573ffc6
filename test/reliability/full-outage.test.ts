import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { startLocalCluster, type LocalCluster } from '../../tools/redis-cluster/launcher';
import { login, refreshTokenOf } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery';
/** Not a speed goal: a request still open after this long is hanging. */
const HANG_BOUND_MS = 5_000;
/** How long a freshly (re)started cluster may take before the service reports ready. */
const READY_WITHIN_MS = 30_000;

/** /readyz as a load balancer polls it: the status once it says ready, or the last one when it never does. */
async function readinessOf(server: TestServer): Promise<number> {
  const giveUpAt = Date.now() + READY_WITHIN_MS;
  let ready = await fetch(new URL('/readyz', server.url));
  while (ready.status !== 200 && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    ready = await fetch(new URL('/readyz', server.url));
  }
  return ready.status;
}

/**
 * The call once the store takes it, as a client behind a load balancer retries a 503.
 * Nodes that all restart at once settle their cluster in steps: the client may see it
 * ready, then reconnect once more while the last nodes rejoin. "By itself" means no
 * restart of the service is needed, within the same bound as readiness.
 */
async function onceServed<T>(call: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + READY_WITHIN_MS;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError) || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('every Redis node down, then back', () => {
  let cluster: LocalCluster;
  let server: TestServer;

  beforeAll(async () => {
    cluster = await startLocalCluster();
    server = await startTestServer(
      clusterEnv({ REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','), BCRYPT_WORKERS: '1' }),
    );
    // Traffic starts once the service says it is ready, as behind a load balancer: a cluster
    // made a moment ago may still be settling its client's view of the slots.
    expect(await readinessOf(server)).toBe(200);
    await server.deps.accounts.create({ username: 'olive', password: PASSWORD, authorities: [] });
  });
  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  it('answers 503 SERVICE_UNAVAILABLE at once for all that needs Redis, stays up, and serves again by itself', async () => {
    const session = await login(server.call, 'olive', PASSWORD);
    await Promise.all(cluster.nodes.map((node) => cluster.stopNode(node.port)));

    const needsRedis = [
      ['me with a token', '{ me { username } }', { token: session.accessToken }],
      ['login', `mutation { login(input: { username: "olive", password: "${PASSWORD}" }) { accessToken } }`, {}],
      ['refresh', 'mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }', { variables: { t: refreshTokenOf(session) } }],
      ['logout', 'mutation { logout }', { token: session.accessToken }],
    ] as const;
    for (const [name, query, options] of needsRedis) {
      const startedAt = Date.now();
      const response = await server.call(query, options);
      const tookMs = Date.now() - startedAt;
      expect({ name, status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({ name, status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(tookMs).toBeLessThan(HANG_BOUND_MS);
    }
    // What needs no Redis keeps working: anonymous queries, health, keys.
    expect((await server.call('{ me { username } }')).data).toEqual({ me: null });
    expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    const ready = await fetch(new URL('/readyz', server.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready' });

    await Promise.all(cluster.nodes.map((node) => cluster.startNode(node.port)));
    // The test cluster keeps no data on disk: the nodes come back empty. The same server,
    // not restarted, serves new accounts, and the old token stays refused (its session is gone).
    expect(await readinessOf(server)).toBe(200);
    await onceServed(() => server.deps.accounts.create({ username: 'olive', password: PASSWORD, authorities: [] }));
    const again = await login(server.call, 'olive', PASSWORD);
    expect((await server.call('{ me { username } }', { token: again.accessToken })).data).toEqual({ me: { username: 'olive' } });
    expect((await server.call('{ me { username } }', { token: session.accessToken })).status).toBe(401);
  });
});
