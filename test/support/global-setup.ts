import {
  startLocalCluster,
  startStandaloneRedis,
  type LocalCluster,
  type StandaloneRedis,
} from '../../tools/redis-cluster/launcher';
import { type LocalPostgres, startLocalPostgres } from '../../tools/postgres/launcher';

export interface TestRedisHandles {
  cluster: LocalCluster;
  standalone: StandaloneRedis;
  postgres: LocalPostgres;
}

// globalSetup and globalTeardown run in the same jest process, so globalThis carries the handles across.
const HANDLES_KEY = Symbol.for('graphql-auth-service.test-redis-handles');

type GlobalWithHandles = typeof globalThis & { [HANDLES_KEY]?: TestRedisHandles };

export function takeTestRedisHandles(): TestRedisHandles | undefined {
  const global = globalThis as GlobalWithHandles;
  const handles = global[HANDLES_KEY];
  delete global[HANDLES_KEY];
  return handles;
}

async function startTestRedis(): Promise<TestRedisHandles> {
  const results = await Promise.allSettled([
    startLocalCluster({ masters: 3, replicasPerMaster: 1 }),
    startStandaloneRedis(),
    startLocalPostgres(),
  ]);
  const [cluster, standalone, postgres] = results;
  if (cluster.status === 'fulfilled' && standalone.status === 'fulfilled' && postgres.status === 'fulfilled') {
    return { cluster: cluster.value, standalone: standalone.value, postgres: postgres.value };
  }
  await Promise.all(results.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  throw failure?.reason;
}

export default async function globalSetup(): Promise<void> {
  const handles = await startTestRedis();
  (globalThis as GlobalWithHandles)[HANDLES_KEY] = handles;
  // Test workers are forked after globalSetup, so they inherit these variables.
  process.env.TEST_REDIS_CLUSTER_NODES = handles.cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  process.env.TEST_REDIS_URL = `redis://${handles.standalone.host}:${handles.standalone.port}`;
  process.env.TEST_DATABASE_URL = handles.postgres.url;
}
