import { Cluster } from 'ioredis';
import type { Pool } from 'pg';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { withinDeadline } from '@graphql-auth-service/subgraph/redis/deadline';

export interface Readiness {
  readonly ready: boolean;
  readonly store: 'memory' | 'redis' | 'redis-cluster' | 'postgres';
  readonly detail?: string;
}

const READINESS_TIMEOUT_MS = 1_000;

/** Why Redis cannot be used (a refused password, an untrusted certificate, ...); undefined when it cannot tell. */
export type RedisDiagnosis = () => Promise<string | undefined>;

/**
 * Ready when the store answers: PING on a single node, `cluster_state:ok` on a cluster.
 * When it does not, `diagnose` may say why, for as long as that lasts.
 */
export async function checkReadiness(redis: RedisClient | undefined, diagnose?: RedisDiagnosis): Promise<Readiness> {
  if (!redis) return { ready: true, store: 'memory' };
  const store = redis instanceof Cluster ? 'redis-cluster' : 'redis';
  try {
    const answer = await withinDeadline(
      redis instanceof Cluster ? (redis.cluster('INFO') as Promise<string>) : redis.ping(),
      READINESS_TIMEOUT_MS,
      () => new Error('timeout'),
    );
    if (store === 'redis-cluster' && !/cluster_state:ok/.test(answer)) {
      return { ready: false, store, detail: 'cluster_state is not ok' };
    }
    return { ready: true, store };
  } catch {
    const reason = await diagnose?.().catch(() => undefined);
    return { ready: false, store, detail: reason ?? 'Redis is unreachable' };
  }
}

/** Ready when the database answers a query within the readiness timeout. */
export async function checkPostgresReadiness(pool: Pool): Promise<Readiness> {
  try {
    await withinDeadline(pool.query('SELECT 1'), READINESS_TIMEOUT_MS, () => new Error('timeout'));
    return { ready: true, store: 'postgres' };
  } catch {
    return { ready: false, store: 'postgres', detail: 'PostgreSQL is unreachable' };
  }
}
