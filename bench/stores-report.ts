import type { PrefixMemoryUsage } from './redis-memory';
import type { MeComparison } from './stores-me';
import { CHECKS_IN_FLIGHT, type CheckFigures, type Latency, type LoginFigures, type StoreName } from './stores-measure';
import type { PostgresSizes } from './stores-postgres';

export interface StoresStep {
  /** Sessions held when the checks ran (logins then add some). */
  readonly sessions: number;
  readonly users: number;
  /** Seconds each store took to reach this step from the one before. */
  readonly seedSeconds: Readonly<Record<StoreName, number>>;
  readonly check: Readonly<Record<StoreName, CheckFigures>>;
  readonly login: LoginFigures;
}

export interface StoresResult {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly node: string; readonly redis: string; readonly postgres: string };
  readonly settings: Record<string, string | number>;
  readonly steps: readonly StoresStep[];
  /** At the largest step, before its logins. */
  readonly bytes: { readonly postgres: PostgresSizes; readonly redis: PrefixMemoryUsage; readonly sessions: number };
  readonly me: MeComparison;
  readonly runSeconds: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en');
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const latency = ({ p50Micros, p99Micros }: Latency) => `${int(p50Micros)} / ${int(p99Micros)}`;

/** Bytes per session of each part, as the tables and the verdict state them. */
export function bytesPerSession({ postgres, redis, sessions }: StoresResult['bytes']) {
  return {
    postgresSessions: postgres.sessionsTotalBytes / sessions,
    postgresHeap: postgres.sessionsHeapBytes / sessions,
    postgresIndexes: postgres.sessionsIndexBytes / sessions,
    postgresOwners: postgres.sessionOwnersTotalBytes / sessions,
    redis: (redis.bytes.sessionRecords + redis.bytes.sessionSets) / sessions,
  };
}

function checkTable(steps: readonly StoresStep[]): string[] {
  return [
    `| sessions (users) | Redis check p50 / p99 µs | PostgreSQL check p50 / p99 µs | PostgreSQL / Redis p50 | Redis checks/s, ${CHECKS_IN_FLIGHT} in flight | PostgreSQL checks/s, ${CHECKS_IN_FLIGHT} in flight |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...steps.map(
      ({ sessions, users, check: { redis, postgres } }) =>
        `| ${int(sessions)} (${int(users)}) | ${latency(redis)} | ${latency(postgres)} | ${fixed(postgres.p50Micros / redis.p50Micros)} | ${int(redis.checksPerSecond)} | ${int(postgres.checksPerSecond)} |`,
    ),
  ];
}

function loginTable(steps: readonly StoresStep[]): string[] {
  return [
    '| sessions during the logins | logins that evicted | Redis p50 / p99 µs (WAIT 1 replica, the default) | Redis p50 / p99 µs (no WAIT) | PostgreSQL p50 / p99 µs | PostgreSQL / Redis (no WAIT) p50 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...steps.map(
      ({ login }) =>
        `| ${int(login.sessionsBefore)} → ${int(login.sessionsAfter)} | ${Math.round(login.evictingShare * 100)}% | ${latency(login.redis)} | ${latency(login.redisWithoutWait)} | ${latency(login.postgres)} | ${fixed(login.postgres.p50Micros / login.redisWithoutWait.p50Micros)} |`,
    ),
  ];
}

function bytesTable(bytes: StoresResult['bytes']): string[] {
  const per = bytesPerSession(bytes);
  const { postgres, redis } = bytes;
  return [
    `| at ${int(bytes.sessions)} sessions (${int(postgres.users)} users) | bytes per session | what it holds |`,
    '| --- | --- | --- |',
    `| PostgreSQL \`sessions\`, pg_total_relation_size | ${int(per.postgresSessions)} | heap ${int(per.postgresHeap)} (a row averages ${int(postgres.sessionRowBytes)} bytes by pg_column_size, plus its line pointer and page fill), indexes ${int(per.postgresIndexes)} (primary key (user_id, id) and expires_at), TOAST and maps ${int(per.postgresSessions - per.postgresHeap - per.postgresIndexes)} |`,
    `| PostgreSQL \`session_owners\`, pg_total_relation_size / sessions | ${int(per.postgresOwners)} | one row per user (${int(postgres.sessionOwnersTotalBytes / postgres.users)} bytes each with its primary key): the row a login locks, and the all-revoked mark |`,
    `| PostgreSQL, both | ${int(per.postgresSessions + per.postgresOwners)} | |`,
    `| Redis, MEMORY USAGE | ${int(per.redis)} | ${int(redis.keysCounted.sessionRecords)} session records (one packed string each) and ${int(redis.keysCounted.sessionSets)} per-user sorted sets; not counted: ${int(redis.keysCounted.other)} other keys of ${int(redis.bytes.other)} bytes (user records, name claims, the revocation marks of sessions evicted so far), as PostgreSQL's users and revoked_sessions are not |`,
  ];
}

function meTable(me: MeComparison): string[] {
  const row = (label: string, name: StoreName) => {
    const store = me[name];
    return `| ${label} | ${int(store.requestsPerSecond)} | ${fixed(store.p50Ms)} | ${fixed(store.p99Ms)} | ${store.rounds.map((round) => int(round.requestsPerSecond)).join(' / ')} | ${int(store.serverCpuMicrosPerRequest)} | ${int(store.storeCpuMicrosPerRequest)} | ${store.failures} |`;
  };
  return [
    '| `{ me { id } }` through the service on | req/s | p50 ms | p99 ms | req/s per round | service CPU µs/request | store CPU µs/request | failures |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('Redis Cluster (3 masters, 3 replicas)', 'redis'),
    row('PostgreSQL', 'postgres'),
  ];
}

const growth = (steps: readonly StoresStep[], pick: (step: StoresStep) => number) => fixed(pick(steps[steps.length - 1]) / pick(steps[0]));

export function markdownReport(result: StoresResult): string {
  const { steps, me, machine } = result;
  const per = bytesPerSession(result.bytes);
  const ratio = me.postgresOverRedis;
  const settings = Object.entries(result.settings)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return [
    `Store comparison of ${result.date} on ${machine.cores} cores, Node ${machine.node}, redis-server ${machine.redis} (a local 3-master, 3-replica cluster, no persistence), PostgreSQL ${machine.postgres} (a throwaway server: fsync, synchronous_commit and full_page_writes off). The run took ${int(result.runSeconds)} s.`,
    `Settings: ${settings}.`,
    'Both stores run the service\'s own session store code from this process; both hold the same users and sessions (the same ids and records), and every login below goes to both in the same order.',
    '',
    ...checkTable(steps),
    '',
    `The session check, as every authenticated request makes it (enforce mode: the session and the account, read together; no touch is due). p50 is the fastest of 5 trials of 400 sequential checks of random live sessions after a warm-up, p99 is over all 2,000; the two stores alternate trial by trial. Checks/s: the best of 3 one-second trials with ${CHECKS_IN_FLIGHT} checks in flight (PostgreSQL through a pool of ${result.settings.postgresPoolSize} connections, Redis through one connection per master with auto-pipelining); it includes this process's client-side work. From 1 to ${int(steps[steps.length - 1].sessions)} sessions the p50 grows ${growth(steps, (step) => step.check.redis.p50Micros)}× on Redis and ${growth(steps, (step) => step.check.postgres.p50Micros)}× on PostgreSQL.`,
    '',
    ...loginTable(steps),
    '',
    `Login's store part: \`create\` of a new session for an existing user under the cap of ${result.settings.sessionCap} with evict-oldest (bcrypt is the same on both stores and not included). p50 is the fastest of 6 trials, p99 over all; on Redis every other login waits for a replica (REVOCATION_REPLICAS=1, the default), the others do not. PostgreSQL is a transaction: the user's session_owners row locked, the user's sessions read, the oldest deleted (and remembered as revoked) when at the cap, the new row inserted, commit; with fsync off its commit waits for no disk, so with durable settings each login would also wait for a WAL flush. At 1 session every login is the one user's, so nearly all evict.`,
    '',
    ...bytesTable(result.bytes),
    '',
    `PostgreSQL's \`sessions\` take ${fixed(per.postgresSessions / per.redis)}× Redis's MEMORY USAGE per session (${fixed((per.postgresSessions + per.postgresOwners) / per.redis)}× with session_owners). PostgreSQL's bytes are on disk and in its buffer cache as needed; Redis's are all in memory, on each master and again on its replica. Seeding took ${steps.map((step) => `${fixed(step.seedSeconds.postgres, 1)} s`).join(', ')} on PostgreSQL (bulk inserts, then VACUUM ANALYZE) and ${steps.map((step) => `${fixed(step.seedSeconds.redis, 1)} s`).join(', ')} on Redis (the stores' own create, pipelined).`,
    '',
    ...meTable(me),
    '',
    `Each server in its own process, the same settings but the store (NODE_ENV=production, request log at info to /dev/null, brute-force protection off), both stores holding the sessions above; ${result.settings.meRounds} rounds of ${result.settings.meRoundSeconds} s alternating Redis, PostgreSQL, ... after a ${result.settings.meWarmUpSeconds} s warm-up of each, autocannon with 32 connections; req/s, p50 and p99 are medians of rounds. PostgreSQL / Redis throughput per round: ${ratio.requestsPerSecondPerRound.map((value) => fixed(value)).join(' / ')} (median ${fixed(ratio.requestsPerSecond)}); p99 per round: ${ratio.p99PerRound.map((value) => fixed(value)).join(' / ')} (median ${fixed(ratio.p99)}). Store CPU: every Redis node (INFO cpu, replicas included), or every PostgreSQL process (/proc).`,
    '',
  ].join('\n');
}
