import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';

export type Env = Record<string, string>;

/** A fixed secret for tests, so two server instances verify each other's tokens. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export function clusterNodesFromSetup(): string {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES;
  if (!nodes) throw new Error('TEST_REDIS_CLUSTER_NODES is not set: run the tests through jest (global setup starts the cluster)');
  return nodes;
}

export function singleRedisUrlFromSetup(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (global setup starts Redis)');
  return url;
}

/** What the service uses by default: one replica confirms each revocation (the test cluster has one per master). */
export const TEST_DURABILITY = { replicas: 1, timeoutMs: 1_000 };

/** A key prefix of its own per test file, so files never see each other's data. */
export function uniqueKeyPrefix(): string {
  return `t${randomUUID().slice(0, 8)}:`;
}

/** The environment a test server starts from: the real cluster, fast bcrypt, quiet logs. */
export function clusterEnv(overrides: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_CLUSTER_NODES: clusterNodesFromSetup(),
    REDIS_KEY_PREFIX: uniqueKeyPrefix(),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** A plain client on the test cluster, to look at what the service wrote. */
export function clusterClient(): Cluster {
  const nodes = clusterNodesFromSetup()
    .split(',')
    .map((entry) => {
      const [host, port] = entry.split(':');
      return { host, port: Number(port) };
    });
  return new Cluster(nodes, { scaleReads: 'master' });
}

export function singleClient(): Redis {
  return new Redis(singleRedisUrlFromSetup());
}

/** Every key under a prefix, from every master of the cluster. */
export async function keysWithPrefix(redis: RedisClient, prefix: string): Promise<string[]> {
  // A cluster client knows its masters only once connected: before that the list is empty.
  if (redis instanceof Cluster && redis.status !== 'ready') await redis.ping();
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}
