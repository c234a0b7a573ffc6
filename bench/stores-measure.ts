import { newSessionId } from '@graphql-auth-service/subgraph/ids';
import type { NewSession } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../src/sessions/session-store';
import { benchSession, CHECK_SAMPLING, checkMicros, latencyOfTrials, type SessionRef } from './redis-memory';
import { type Population, SESSION_CAP } from './stores-population';

export type StoreName = 'redis' | 'postgres';
export const STORE_NAMES: readonly StoreName[] = ['redis', 'postgres'];

export interface Latency {
  readonly p50Micros: number;
  readonly p99Micros: number;
}

export interface CheckFigures extends Latency {
  /** The best trial's checks per second with CHECKS_IN_FLIGHT at a time. */
  readonly checksPerSecond: number;
  readonly checksPerSecondPerTrial: readonly number[];
}

export interface LoginFigures {
  /** Sessions held when the logins began and when they ended (each login under the cap adds one). */
  readonly sessionsBefore: number;
  readonly sessionsAfter: number;
  /** Timed logins on each store (on Redis, half with each durability). */
  readonly logins: number;
  /** The share of timed logins whose user was at the cap, so the login evicted the oldest session. */
  readonly evictingShare: number;
  readonly postgres: Latency;
  /** REVOCATION_REPLICAS=1, the service's default: the script, then WAIT for one replica. */
  readonly redis: Latency;
  /** REVOCATION_REPLICAS=0: the script alone. */
  readonly redisWithoutWait: Latency;
}

/** The stores of one comparison: the same session store code the service runs, on each backend. */
export interface StoresUnderTest {
  readonly postgres: SessionStore;
  /** With the service's default durability (a replica confirms a login, which may evict). */
  readonly redis: SessionStore;
  readonly redisWithoutWait: SessionStore;
}

export const CHECKS_IN_FLIGHT = 16;
const THROUGHPUT_TRIALS = 3;
const THROUGHPUT_TRIAL_MS = 1_000;
const LOGIN_TRIALS = 6;
const LOGINS_PER_TRIAL = 120;
const LOGIN_WARM_UP = 40;
/** About the share of users at the cap when each holds 1 to 5 sessions: the mix of a deployment's logins. */
const EVICTING_SHARE = 0.2;
const LIMIT = { max: SESSION_CAP, policy: 'evict-oldest' } as const;

const elapsedMicros = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1_000;
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** Each trial's stores in turn, the first one changing every trial, so neither always runs right after the other. */
const turns = <T>(items: readonly T[], trial: number): readonly T[] => (trial % 2 === 0 ? items : [...items].reverse());

async function checksPerSecond(store: SessionStore, sessions: readonly SessionRef[], now: number): Promise<number> {
  let checks = 0;
  const until = Date.now() + THROUGHPUT_TRIAL_MS;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CHECKS_IN_FLIGHT }, async () => {
      while (Date.now() < until) {
        const { userId, sessionId } = sessions[Math.floor(Math.random() * sessions.length)];
        await store.check(userId, sessionId, now, 60_000);
        checks += 1;
      }
    }),
  );
  return checks / (elapsedMicros(startedAt) / 1e6);
}

/**
 * The session check on both stores, alternating trial by trial: sequential checks of
 * random live sessions (redis-memory.ts' sampling: a warm-up, then trials of a few
 * hundred; p50 the fastest trial's, p99 over all), then CHECKS_IN_FLIGHT at a time.
 */
export async function measureChecks(stores: StoresUnderTest, population: Population, now: number, first: boolean): Promise<Record<StoreName, CheckFigures>> {
  const sessions = population.live();
  const warmUp = first ? CHECK_SAMPLING.firstWarmUpChecks : CHECK_SAMPLING.warmUpChecks;
  for (const name of STORE_NAMES) await checkMicros(stores[name], sessions, now, warmUp);
  const trials = { redis: [] as number[][], postgres: [] as number[][] };
  for (let trial = 0; trial < CHECK_SAMPLING.trials; trial += 1) {
    for (const name of turns(STORE_NAMES, trial)) trials[name].push(await checkMicros(stores[name], sessions, now, CHECK_SAMPLING.checksPerTrial));
  }
  const rates = { redis: [] as number[], postgres: [] as number[] };
  for (let trial = 0; trial < THROUGHPUT_TRIALS; trial += 1) {
    for (const name of turns(STORE_NAMES, trial)) rates[name].push(await checksPerSecond(stores[name], sessions, now));
  }
  const figures = (name: StoreName): CheckFigures => ({
    ...latencyOfTrials(trials[name]),
    checksPerSecond: Math.max(...rates[name]),
    checksPerSecondPerTrial: rates[name],
  });
  return { redis: figures('redis'), postgres: figures('postgres') };
}

/** A user at the cap about EVICTING_SHARE of the time, below it otherwise, while the population has both. */
function pickUser(population: Population): string {
  const wantAtCap = Math.random() < EVICTING_SHARE;
  const atCap = (userId: string) => population.sessionsOf(userId).length >= SESSION_CAP;
  let userId = population.randomUser();
  for (let tries = 0; tries < 200 && atCap(userId) !== wantAtCap; tries += 1) userId = population.randomUser();
  return userId;
}

interface TimedLogins {
  readonly micros: number[];
  readonly evicted: (readonly string[])[];
}

/** The store part of logins, one at a time: `create` under the cap, evicting the oldest. */
async function timeLogins(sessions: readonly NewSession[], storeFor: (index: number) => SessionStore): Promise<TimedLogins> {
  const timed: TimedLogins = { micros: [], evicted: [] };
  for (const [index, session] of sessions.entries()) {
    const startedAt = process.hrtime.bigint();
    const creation = await storeFor(index).create(session, LIMIT);
    timed.micros.push(elapsedMicros(startedAt));
    if (creation.status !== 'created') throw new Error(`a login under evict-oldest answered ${creation.status}`);
    timed.evicted.push(creation.evictedSessionIds);
  }
  return timed;
}

const sameSessions = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

export interface LoginClock {
  /** createdAt of the next login: after every seeded session, one millisecond apart, so both stores order them alike. */
  next(): number;
}

/** Sessions for `count` logins of picked users, each with a new id. */
function loginSessions(population: Population, now: number, clock: LoginClock, count: number): NewSession[] {
  return Array.from({ length: count }, () => benchSession(pickUser(population), newSessionId(), now, clock.next()));
}

/**
 * Logins on both stores: the same users, sessions and order on each (so both evict the same
 * sessions, which is checked), alternating trial by trial; on Redis every other login waits for
 * a replica (the service's default), the others do not.
 */
export async function measureLogins(stores: StoresUnderTest, population: Population, now: number, clock: LoginClock): Promise<LoginFigures> {
  const redisFor = (index: number) => (index % 2 === 0 ? stores.redis : stores.redisWithoutWait);
  const timed = { redis: [] as number[][], redisWithoutWait: [] as number[][], postgres: [] as number[][] };
  let evicting = 0;
  const sessionsBefore = population.sessionCount;
  for (let trial = -1; trial < LOGIN_TRIALS; trial += 1) {
    const sessions = loginSessions(population, now, clock, trial < 0 ? LOGIN_WARM_UP : LOGINS_PER_TRIAL);
    const results: Partial<Record<StoreName, TimedLogins>> = {};
    for (const name of turns(STORE_NAMES, trial + 1)) results[name] = await timeLogins(sessions, name === 'redis' ? redisFor : () => stores.postgres);
    const { redis, postgres } = results as Record<StoreName, TimedLogins>;
    sessions.forEach((session, i) => {
      if (!sameSessions(redis.evicted[i], postgres.evicted[i])) {
        throw new Error(`a login of user ${session.userId} evicted ${redis.evicted[i].join()} on Redis but ${postgres.evicted[i].join()} on PostgreSQL`);
      }
      population.loggedIn(session, postgres.evicted[i]);
    });
    if (trial < 0) continue;
    evicting += postgres.evicted.filter((ids) => ids.length > 0).length;
    timed.postgres.push(sorted(postgres.micros));
    timed.redis.push(sorted(redis.micros.filter((_, i) => i % 2 === 0)));
    timed.redisWithoutWait.push(sorted(redis.micros.filter((_, i) => i % 2 === 1)));
  }
  const logins = timed.postgres.flat().length;
  return {
    sessionsBefore,
    sessionsAfter: population.sessionCount,
    logins,
    evictingShare: evicting / logins,
    postgres: latencyOfTrials(timed.postgres),
    redis: latencyOfTrials(timed.redis),
    redisWithoutWait: latencyOfTrials(timed.redisWithoutWait),
  };
}
