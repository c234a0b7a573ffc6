import type { RedisConfig } from '@graphql-auth-service/subgraph/redis/redis-config';
import type { DatabaseConfig } from '../postgres/database-config';
import type { RuntimeEnvironment, StoreKind } from './config';
import type { EnvReader } from './env-reader';

export interface StoreChoice {
  readonly kind: StoreKind;
  readonly database: DatabaseConfig | undefined;
}

const STORE_KINDS: readonly StoreKind[] = ['memory', 'redis', 'postgres'];
const DEFAULT_POOL_SIZE = 10;

const CHOOSE_A_STORE =
  'set REDIS_CLUSTER_NODES (or REDIS_URL) to keep them in Redis, or DATABASE_URL=postgres://... to keep them in PostgreSQL';

/**
 * Which one store holds users, sessions and counters: STORE when given, else the one
 * configured (DATABASE_URL for PostgreSQL, REDIS_CLUSTER_NODES or REDIS_URL for Redis),
 * else memory. Everything lives in one store, so two configured is a mistake, and so
 * is production falling back to memory without STORE=memory saying it is meant.
 */
export function readStore(read: EnvReader, environment: RuntimeEnvironment, redis: RedisConfig): StoreChoice {
  const explicit = read.raw('STORE') === undefined ? undefined : read.oneOf('STORE', STORE_KINDS, 'memory');
  const database = readDatabase(read);
  const redisSet = redis.kind !== 'memory';
  if (redisSet && database) {
    read.fail('Redis (REDIS_CLUSTER_NODES or REDIS_URL) and DATABASE_URL are both set: the service keeps everything in one store; unset one of them');
  }
  const configured: StoreKind = database ? 'postgres' : redisSet ? 'redis' : 'memory';
  if (explicit !== undefined && explicit !== configured && !(redisSet && database)) {
    read.fail(mismatch(explicit, configured));
  }
  const kind = explicit ?? configured;
  if (environment === 'production' && configured === 'memory' && explicit !== 'memory') {
    read.fail(
      `NODE_ENV=production and no store is configured: users and sessions would live in this process, lost on restart and not shared between instances; ${CHOOSE_A_STORE}. Set STORE=memory to run on this process's memory on purpose`,
    );
  }
  return { kind, database };
}

function mismatch(explicit: StoreKind, configured: StoreKind): string {
  if (explicit === 'memory') {
    return `STORE=memory, but ${configured === 'postgres' ? 'DATABASE_URL' : 'REDIS_CLUSTER_NODES or REDIS_URL'} is set too: unset it, or drop STORE`;
  }
  if (explicit === 'postgres') return 'STORE=postgres needs DATABASE_URL=postgres://user:password@host:port/database';
  return 'STORE=redis needs REDIS_CLUSTER_NODES=host:port,... (or REDIS_URL=redis://host:port)';
}

function readDatabase(read: EnvReader): DatabaseConfig | undefined {
  const url = read.raw('DATABASE_URL');
  if (url === undefined) {
    if (read.raw('DATABASE_POOL_SIZE') !== undefined) read.fail('DATABASE_POOL_SIZE is set but DATABASE_URL is not');
    return undefined;
  }
  // Never echoed: the URL carries a password.
  if (!/^postgres(ql)?:\/\/[^\s]+$/i.test(url) || !URL.canParse(url)) {
    read.fail('DATABASE_URL: expected a postgres:// or postgresql:// URL (postgres://user:password@host:port/database)');
    return undefined;
  }
  return { url, poolSize: read.integer('DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1_000) };
}
