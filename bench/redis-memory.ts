import type { Cluster } from 'ioredis';
import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import type { NewSession } from '@graphql-auth-service/subgraph/sessions/session';
import { NOT_DURABLE } from '../src/redis/replication';
import { createRedisSessionStore } from '../src/sessions/redis-session-store';
import type { SessionStore } from '../src/sessions/session-store';
import { issueRefreshToken } from '../src/tokens/refresh-token';
import { percentile } from './stats';

export interface CheckLatency {
  readonly sessions: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
}

export interface SessionMemory {
  readonly sessions: number;
  /** False when creating the sessions ran past its time budget and the run measured fewer. */
  readonly reachedTarget: boolean;
  readonly secondsToCreate: number;
  /** The keys whose MEMORY USAGE is summed: every key the sessions created, nothing else. */
  readonly keysCounted: { readonly sessionRecords: number; readonly sessionSets: number; readonly other: number };
  readonly memoryUsageBytesPerSession: number;
  readonly usedMemoryBytesPerSession: number;
  readonly checkLatency: readonly CheckLatency[];
}

/**
 * The service's default prefix, as key length is part of what a session costs. The
 * servers under load use another prefix on the same cluster, so only this run's keys match.
 */
const PREFIX = 'auth:';
const SESSIONS_PER_USER = 10;
const IN_FLIGHT = 1_000;
/** How the check's latency is sampled at each step; bench/stores.ts samples PostgreSQL's the same way. */
export const CHECK_SAMPLING = {
  trials: 5,
  checksPerTrial: 400,
  /**
   * Unreported checks before each step's trials: the client's first several thousand
   * checks, and its first ones to each master, are slower whatever the cluster holds.
   */
  firstWarmUpChecks: 6_000,
  warmUpChecks: 2_000,
} as const;
/** Past this, the largest step is measured with the sessions created so far. */
const CREATE_BUDGET_MS = 90_000;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const DAY_MS = 86_400_000;

async function usedMemory(redis: Cluster): Promise<number> {
  const infos = await Promise.all(redis.nodes('master').map((node) => node.info('memory')));
  return infos.reduce((sum, info) => sum + Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0), 0);
}

type KeyKind = keyof SessionMemory['keysCounted'];

const kindOf = (key: string): KeyKind => (key.includes('}:s:') ? 'sessionRecords' : key.endsWith(':sessions') ? 'sessionSets' : 'other');

export interface PrefixMemoryUsage {
  /** MEMORY USAGE summed by kind of key: session records, per-user session sets, anything else (user records, ...). */
  readonly bytes: Readonly<Record<KeyKind, number>>;
  readonly keysCounted: SessionMemory['keysCounted'];
}

/** Sums MEMORY USAGE (every element, SAMPLES 0) of every key under the prefix, on every master. */
export async function memoryUsageOfPrefix(redis: Cluster, prefix: string = PREFIX): Promise<PrefixMemoryUsage> {
  const bytes = { sessionRecords: 0, sessionSets: 0, other: 0 };
  const keysCounted = { sessionRecords: 0, sessionSets: 0, other: 0 };
  for (const node of redis.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
      const usages = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const kind = kindOf(key);
        keysCounted[kind] += 1;
        bytes[kind] += Number(usages[i][1]);
      });
    } while (cursor !== '0');
  }
  return { bytes, keysCounted };
}

/**
 * A session as a browser login makes it: an address, a 100-character user agent, a refresh
 * token's hash, a password and a second factor; a week to live, last seen at `now`.
 */
export function benchSession(userId: string, sessionId: string, now: number, createdAt: number = now): NewSession {
  const expiresAt = now + 7 * DAY_MS;
  return { id: sessionId, userId, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: now, ip: '203.0.113.45', userAgent: USER_AGENT, refreshTokenHash: issueRefreshToken(userId, sessionId).hash, amr: ['pwd', 'otp'] };
}

/** A live session to check: its user and its id. */
export interface SessionRef {
  readonly userId: string;
  readonly sessionId: string;
}

interface SessionPopulation {
  readonly created: readonly SessionRef[];
  /** Creates sessions, IN_FLIGHT at a time, until there are `count` or the time budget is spent. */
  growTo(count: number): Promise<void>;
}

function createPopulation(store: SessionStore, now: number): SessionPopulation {
  const created: { userId: string; sessionId: string }[] = [];
  let userId = newUserId(now);
  const startedAt = Date.now();
  const overBudget = () => Date.now() - startedAt > CREATE_BUDGET_MS;
  return {
    created,
    async growTo(count) {
      while (created.length < count && !overBudget()) {
        const batch: Promise<unknown>[] = [];
        while (batch.length < IN_FLIGHT && created.length < count) {
          if (created.length % SESSIONS_PER_USER === 0) userId = newUserId(Date.now());
          const sessionId = newSessionId();
          created.push({ userId, sessionId });
          batch.push(store.create(benchSession(userId, sessionId, now), { max: 0, policy: 'evict-oldest' }));
        }
        await Promise.all(batch);
      }
    },
  };
}

/**
 * Checks of random live sessions, one at a time, so the figure is the round trip and the script, not a queue.
 * `now` is the sessions' lastSeenAt, so no check is due a touch: what is timed is the read every request makes.
 */
export async function checkMicros(store: SessionStore, sessions: readonly SessionRef[], now: number, checks: number): Promise<number[]> {
  const micros: number[] = [];
  for (let i = 0; i < checks; i += 1) {
    const { userId, sessionId } = sessions[Math.floor(Math.random() * sessions.length)];
    const startedAt = process.hrtime.bigint();
    await store.check(userId, sessionId, now, 60_000);
    micros.push(Number(process.hrtime.bigint() - startedAt) / 1_000);
  }
  return micros.sort((a, b) => a - b);
}

/**
 * Like the JWT figures, p50 is the fastest trial's: it measures the store and the script,
 * the slower trials the neighbours on this shared machine. p99 is over every trial.
 */
export function latencyOfTrials(trials: readonly (readonly number[])[]): { readonly p50Micros: number; readonly p99Micros: number } {
  return {
    p50Micros: Math.min(...trials.map((micros) => percentile(micros, 0.5))),
    p99Micros: percentile(trials.flat().sort((a, b) => a - b), 0.99),
  };
}

async function checkLatencyNow(store: SessionStore, population: SessionPopulation, now: number): Promise<CheckLatency> {
  const trials: number[][] = [];
  for (let trial = 0; trial < CHECK_SAMPLING.trials; trial += 1) trials.push(await checkMicros(store, population.created, now, CHECK_SAMPLING.checksPerTrial));
  return { sessions: population.created.length, ...latencyOfTrials(trials) };
}

/**
 * Creates sessions through the service's own store (ten per user, a browser user agent,
 * a refresh hash, no cap), measuring the session check at 1, 1k, 10k and `total`
 * sessions, then the memory they take: MEMORY USAGE of every key they created (session
 * records and per-user sets; no user records exist under this prefix), and the masters'
 * used_memory growth.
 */
export async function measureSessionMemory(redis: Cluster, total: number): Promise<SessionMemory> {
  const store = createRedisSessionStore({ redis, keys: createRedisKeys(PREFIX), clock: { now: () => Date.now() }, revocationMemoryMs: 900_000, durability: NOT_DURABLE });
  const before = await usedMemory(redis);
  const now = Date.now();
  const population = createPopulation(store, now);
  const checkLatency: CheckLatency[] = [];
  let secondsToCreate = 0;
  for (const step of [1, 1_000, 10_000, total]) {
    const creating = Date.now();
    await population.growTo(step);
    secondsToCreate += (Date.now() - creating) / 1000;
    await checkMicros(store, population.created, now, step === 1 ? CHECK_SAMPLING.firstWarmUpChecks : CHECK_SAMPLING.warmUpChecks);
    checkLatency.push(await checkLatencyNow(store, population, now));
  }

  const sessions = population.created.length;
  const usage = await memoryUsageOfPrefix(redis);
  const after = await usedMemory(redis);
  const { sessionRecords, sessionSets, other } = usage.bytes;
  return {
    sessions,
    reachedTarget: sessions === total,
    secondsToCreate,
    keysCounted: usage.keysCounted,
    memoryUsageBytesPerSession: (sessionRecords + sessionSets + other) / sessions,
    usedMemoryBytesPerSession: (after - before) / sessions,
    checkLatency,
  };
}
