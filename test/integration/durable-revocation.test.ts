import { Redis } from 'ioredis';
import { startStandaloneRedis, type StandaloneRedis } from '../../tools/redis-cluster/launcher';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { login } from '../support/graphql-caller';
import { clusterClient, clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

type Role = [string, number, [string, string, string][]];

/** A direct connection to the replica of the master that serves `key`, allowed to read. */
async function replicaFor(cluster: ReturnType<typeof clusterClient>, key: string): Promise<Redis> {
  const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const [, , [host, port]] = ranges.find(([start, end]) => slot >= start && slot <= end) ?? [0, 0, ['', 0]];
  const master = new Redis({ host, port });
  const [, , [replica]] = (await master.role()) as Role;
  master.disconnect();
  if (!replica) throw new Error(`the master of slot ${slot} has no replica`);
  const connection = new Redis({ host: replica[0], port: Number(replica[1]) });
  await connection.call('READONLY');
  return connection;
}

/** Polls until the master lists an attached replica (a full sync takes a moment). */
async function untilReplicaAttached(master: Redis): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const info = await master.info('replication');
    if (/slave0:.*state=online/.test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the replica never came online');
}

describe('acknowledged revocations are already on a replica', () => {
  let server: TestServer;
  const cluster = clusterClient();
  const replicas: Redis[] = [];

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    await server.deps.accounts.create({ username: 'ruth', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  });
  afterAll(async () => {
    await server.close();
    cluster.disconnect();
    for (const replica of replicas) replica.disconnect();
  });

  it('logout, forceLogout and disabling are on the replica the moment they are answered', async () => {
    const keys = createRedisKeys(server.config.redisKeyPrefix);
    const first = await login(server.call, 'ruth', PASSWORD);
    const userId = first.user.id;
    const replica = await replicaFor(cluster, keys.user(userId));
    replicas.push(replica);
    expect(await replica.exists(keys.session(userId, first.session.id))).toBe(1);

    expect((await server.call('mutation { logout }', { token: first.accessToken })).data).toEqual({ logout: true });
    expect(await replica.exists(keys.session(userId, first.session.id))).toBe(0);

    const second = await login(server.call, 'ruth', PASSWORD);
    const admin = await login(server.call, 'ruth', PASSWORD);
    const forced = await server.call(`mutation($id: ID!) { forceLogout(userId: $id) }`, { variables: { id: first.user.id }, token: admin.accessToken });
    expect(forced.data).toEqual({ forceLogout: 2 });
    expect(await replica.exists(keys.session(userId, second.session.id), keys.session(userId, admin.session.id))).toBe(0);

    await server.deps.accounts.setDisabled(first.user.id, true);
    expect(await replica.hget(keys.user(userId), 'disabled')).toBe('1');
  });
});

describe('a revocation no replica confirms in time', () => {
  let master: StandaloneRedis;
  let replicaServer: StandaloneRedis;
  let replica: Redis;
  let replicaPid: number;
  let server: TestServer;

  beforeAll(async () => {
    [master, replicaServer] = await Promise.all([startStandaloneRedis(), startStandaloneRedis()]);
    replica = new Redis({ host: replicaServer.host, port: replicaServer.port });
    const masterConnection = new Redis({ host: master.host, port: master.port });
    // Redis waits 5 s by default before a diskless full sync; the cluster launcher sets 0 too.
    await masterConnection.config('SET', 'repl-diskless-sync-delay', '0');
    await replica.replicaof(master.host, master.port);
    await untilReplicaAttached(masterConnection);
    masterConnection.disconnect();
    replicaPid = Number(/process_id:(\d+)/.exec(await replica.info('server'))?.[1]);
    const env = clusterEnv({ REDIS_URL: `redis://${master.host}:${master.port}` });
    delete env.REDIS_CLUSTER_NODES;
    server = await startTestServer(env);
    await server.deps.accounts.create({ username: 'sam', password: PASSWORD });
  });
  afterAll(async () => {
    process.kill(replicaPid, 'SIGCONT');
    replica.disconnect();
    await server.close();
    await Promise.all([master.stop(), replicaServer.stop()]);
  });

  it('is answered 503 SERVICE_UNAVAILABLE, and a retry once the replica is back finds it done', async () => {
    const payload = await login(server.call, 'sam', PASSWORD);
    process.kill(replicaPid, 'SIGSTOP');
    let unconfirmed;
    try {
      unconfirmed = await server.call('mutation { logout }', { token: payload.accessToken });
    } finally {
      process.kill(replicaPid, 'SIGCONT');
    }
    expect(unconfirmed.status).toBe(503);
    expect(unconfirmed.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // The master applied it; the retry says so with 401, which a client reads as "logged out".
    const retry = await server.call('mutation { logout }', { token: payload.accessToken });
    expect(retry.status).toBe(401);
    expect(retry.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
