import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { loadMigrations, migrate } from '../src/postgres/migrate';
import { createPostgresPool } from '../src/postgres/pool';
import { NOT_DURABLE } from '../src/redis/replication';
import { createPostgresSessionStore } from '../src/sessions/postgres-session-store';
import { createRedisSessionStore } from '../src/sessions/redis-session-store';
import { createRedisUserStore } from '../src/users/redis-user-store';
import { startLocalPostgres } from '../tools/postgres/launcher';
import { startLocalCluster } from '../tools/redis-cluster/launcher';
import { type Cleanups, runBounded } from './bounded-run';
import { createClusterCpuMeter } from './cluster-cpu';
import { loginToken } from './load';
import { memoryUsageOfPrefix } from './redis-memory';
import { startServerChild } from './server-child';
import { BENCH_PASSWORD, serverEnv } from './server-env';
import { measureMe } from './stores-me';
import { measureChecks, measureLogins, type StoresUnderTest } from './stores-measure';
import { createPopulation, seedPasswordHash, seedPostgres, seedRedis, SESSION_CAP } from './stores-population';
import { createPostgresCpuMeter, postgresSizes } from './stores-postgres';
import { markdownReport, type StoresResult, type StoresStep } from './stores-report';

const STEPS = [1, 1_000, 10_000, 100_000];
/** The service's defaults: DATABASE_POOL_SIZE, and REVOCATION_REPLICAS with REVOCATION_WAIT_TIMEOUT. */
const POOL_SIZE = 10;
const DEFAULT_DURABILITY = { replicas: 1, timeoutMs: 1_000 };
/** The service's default access-token lifetime, which is how long it remembers a revocation. */
const REVOCATION_MEMORY_MS = 900_000;
/** The service's default key prefix, as key length is part of what a session costs. */
const PREFIX = 'auth:';
const ME_ROUNDS = 6;
const ME_ROUND_SECONDS = 4;
const ME_WARM_UP_SECONDS = 2;
/** Only the one bench user's seeding hashes at it; no login is timed through the servers. */
const ME_BCRYPT_COST = '4';
/** About 3 minutes; stops by itself past this, whatever happens. */
const RUN_DEADLINE_MS = 8 * 60_000;

const log = (line: string) => process.stderr.write(`bench:stores: ${line}\n`);

const secondsOf = async (work: () => Promise<void>): Promise<number> => {
  const startedAt = Date.now();
  await work();
  return (Date.now() - startedAt) / 1000;
};

async function bench(cleanups: Cleanups): Promise<StoresResult> {
  const startedAt = Date.now();
  log('starting PostgreSQL');
  const postgres = await startLocalPostgres();
  cleanups.add(() => postgres.stop());
  log('starting a local 3-master, 3-replica Redis cluster');
  const cluster = await startLocalCluster({ masters: 3, replicasPerMaster: 1 });
  cleanups.add(() => cluster.stop());

  const pool = createPostgresPool({ url: postgres.url, poolSize: POOL_SIZE });
  cleanups.add(() => pool.end());
  await migrate(pool, loadMigrations());
  const redis = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })), { scaleReads: 'master', enableAutoPipelining: true });
  cleanups.add(async () => void redis.disconnect());

  const clock = { now: () => Date.now() };
  const keys = createRedisKeys(PREFIX);
  // Enforce mode, the default: the check reads no revocation marks.
  const redisStore = { redis, keys, clock, revocationMemoryMs: REVOCATION_MEMORY_MS, revocationMarksOnCheck: false };
  const stores: StoresUnderTest = {
    postgres: createPostgresSessionStore({ postgres: pool, clock, revocationMemoryMs: REVOCATION_MEMORY_MS, revocationMarksOnCheck: false }),
    redis: createRedisSessionStore({ ...redisStore, durability: DEFAULT_DURABILITY }),
    redisWithoutWait: createRedisSessionStore({ ...redisStore, durability: NOT_DURABLE }),
  };
  const redisUsers = createRedisUserStore({ redis, keys, durability: NOT_DURABLE });

  const now = Date.now();
  const population = createPopulation(now, await seedPasswordHash());
  let lastLoginAt = now;
  const loginClock = { next: () => (lastLoginAt += 1) };
  const steps: StoresStep[] = [];
  let bytes: StoresResult['bytes'] | undefined;
  for (const [index, target] of STEPS.entries()) {
    const growth = population.growTo(target);
    log(`${target.toLocaleString('en')} sessions: seeding ${growth.sessions.length.toLocaleString('en')} sessions of ${growth.users.length.toLocaleString('en')} new users on each store`);
    const seedSeconds = {
      postgres: await secondsOf(() => seedPostgres(pool, growth)),
      redis: await secondsOf(() => seedRedis(redisUsers, stores.redisWithoutWait, growth)),
    };
    if (index === STEPS.length - 1) {
      log('bytes per session');
      bytes = { postgres: await postgresSizes(pool), redis: await memoryUsageOfPrefix(redis, PREFIX), sessions: population.sessionCount };
      if (bytes.postgres.sessions !== bytes.sessions || bytes.redis.keysCounted.sessionRecords !== bytes.sessions) {
        throw new Error(`expected ${bytes.sessions} sessions, PostgreSQL holds ${bytes.postgres.sessions} and Redis ${bytes.redis.keysCounted.sessionRecords}`);
      }
    }
    const users = population.userCount;
    log(`${target.toLocaleString('en')} sessions: session checks`);
    const check = await measureChecks(stores, population, now, index === 0);
    log(`${target.toLocaleString('en')} sessions: logins`);
    const login = await measureLogins(stores, population, now, loginClock);
    steps.push({ sessions: target, users, seedSeconds, check, login });
  }
  if (!bytes) throw new Error('no step measured the bytes');

  log('a service on each store, for authenticated me');
  const env = serverEnv(cluster, ME_BCRYPT_COST, 1);
  // The service picks PostgreSQL when DATABASE_URL is set and no Redis variable is.
  const { REDIS_CLUSTER_NODES: _nodes, REDIS_KEY_PREFIX: _prefix, ...withoutRedis } = env;
  const redisServer = await startServerChild(env);
  cleanups.add(() => redisServer.stop());
  const postgresServer = await startServerChild({ ...withoutRedis, DATABASE_URL: postgres.url });
  cleanups.add(() => postgresServer.stop());
  const redisCpu = createClusterCpuMeter(cluster.nodes);
  cleanups.add(async () => redisCpu.close());
  const postgresCpu = await createPostgresCpuMeter(pool);
  const me = await measureMe(
    {
      redis: { child: redisServer, token: await loginToken(redisServer.url, 'bench0', BENCH_PASSWORD), storeCpuMicros: () => redisCpu.read() },
      postgres: { child: postgresServer, token: await loginToken(postgresServer.url, 'bench0', BENCH_PASSWORD), storeCpuMicros: () => postgresCpu.read() },
    },
    { rounds: ME_ROUNDS, roundSeconds: ME_ROUND_SECONDS, warmUpSeconds: ME_WARM_UP_SECONDS, log },
  );
  await Promise.all([redisServer.stop(), postgresServer.stop()]);

  const setting = async (name: string) => (await pool.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
  return {
    date: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      node: process.versions.node,
      redis: execFileSync('redis-server', ['--version']).toString().match(/v=(\S+)/)?.[1] ?? 'unknown',
      postgres: await setting('server_version'),
    },
    settings: {
      sessionsPerUser: `1-${SESSION_CAP} (user n holds n mod ${SESSION_CAP} + 1)`,
      sessionCap: SESSION_CAP,
      postgresPoolSize: POOL_SIZE,
      shared_buffers: await setting('shared_buffers'),
      fsync: await setting('fsync'),
      synchronous_commit: await setting('synchronous_commit'),
      full_page_writes: await setting('full_page_writes'),
      SESSION_CHECK: 'enforce',
      meRounds: ME_ROUNDS,
      meRoundSeconds: ME_ROUND_SECONDS,
      meWarmUpSeconds: ME_WARM_UP_SECONDS,
      BCRYPT_COST: env.BCRYPT_COST,
      BRUTE_FORCE_PROTECTION: env.BRUTE_FORCE_PROTECTION,
      NODE_ENV: env.NODE_ENV,
    },
    steps,
    bytes,
    me,
    runSeconds: (Date.now() - startedAt) / 1000,
  };
}

function writeResults(result: StoresResult): void {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const markdown = markdownReport(result);
  writeFileSync(join(dir, 'stores.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'stores.md'), markdown);
  process.stdout.write(markdown);
  log(`results in ${join(dir, 'stores.md')} and ${join(dir, 'stores.json')}`);
}

runBounded({ name: 'bench:stores', deadlineMs: RUN_DEADLINE_MS, log }, async (cleanups) => writeResults(await bench(cleanups)));
