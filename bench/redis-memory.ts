import type { Cluster } from 'ioredis';
import { newSessionId, newUserId } from '../src/ids';
import { createRedisKeys } from '../src/redis/keys';
import { NOT_DURABLE } from '../src/redis/replication';
import { createRedisSessionStore } from '../src/sessions/redis-session-store';
import { issueRefreshToken } from '../src/tokens/refresh-token';

export interface CheckLatency {
  readonly sessions: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
}

export interface SessionMemory {
  readonly sessions: number;
  readonly memoryUsageBytesPerSession: number;
  readonly usedMemoryBytesPerSession: number;
  readonly checkLatency: readonly CheckLatency[];
}

/** The service's default prefix: key length is part of what a session costs. The bench cluster is its own. */
const PREFIX = 'auth:';
const SESSIONS_PER_USER = 10;
const IN_FLIGHT = 500;
const CHECKS_PER_STEP = 2_000;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const DAY_MS = 86_400_000;

async function usedMemory(redis: Cluster): Promise<number> {
  const infos = await Promise.all(redis.nodes('master').map((node) => node.info('memory')));
  return infos.reduce((sum, info) => sum + Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0), 0);
}

async function memoryUsageOfPrefix(redis: Cluster): Promise<number> {
  let total = 0;
  for (const node of redis.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
      for (const [, bytes] of (await pipeline.exec()) ?? []) total += Number(bytes);
    } while (cursor !== '0');
  }
  return total;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * Creates sessions through the service's own store (ten per user, a browser user agent,
 * a refresh hash), measuring the session check at 1, 1k, 10k and `total` sessions, then
 * the memory they take: MEMORY USAGE of every key they created (records and per-user
 * sets), and the masters' used_memory growth.
 */
export async function measureSessionMemory(redis: Cluster, total: number): Promise<SessionMemory> {
  const store = createRedisSessionStore({ redis, keys: createRedisKeys(PREFIX), clock: { now: () => Date.now() }, revocationMemoryMs: 900_000, durability: NOT_DURABLE });
  const before = await usedMemory(redis);
  const created: { userId: string; sessionId: string }[] = [];
  let userId = newUserId(Date.now());
  const now = Date.now();

  async function createUpTo(count: number): Promise<void> {
    while (created.length < count) {
      const batch: Promise<unknown>[] = [];
      while (batch.length < IN_FLIGHT && created.length < count) {
        if (created.length % SESSIONS_PER_USER === 0) userId = newUserId(Date.now());
        const sessionId = newSessionId();
        created.push({ userId, sessionId });
        batch.push(
          store.create(
            { id: sessionId, userId, createdAt: now, expiresAt: now + 7 * DAY_MS, absoluteExpiresAt: now + 7 * DAY_MS, lastSeenAt: now, ip: '203.0.113.45', userAgent: USER_AGENT, refreshTokenHash: issueRefreshToken(userId, sessionId).hash },
            { max: 0, policy: 'evict-oldest' },
          ),
        );
      }
      await Promise.all(batch);
    }
  }

  const checkLatency: CheckLatency[] = [];
  for (const step of [1, 1_000, 10_000, total]) {
    await createUpTo(step);
    const micros: number[] = [];
    for (let i = 0; i < CHECKS_PER_STEP; i += 1) {
      const { userId: user, sessionId } = created[Math.floor(Math.random() * created.length)];
      const startedAt = process.hrtime.bigint();
      await store.check(user, sessionId, now, 60_000);
      micros.push(Number(process.hrtime.bigint() - startedAt) / 1_000);
    }
    micros.sort((a, b) => a - b);
    checkLatency.push({ sessions: step, p50Micros: percentile(micros, 0.5), p99Micros: percentile(micros, 0.99) });
  }

  const memoryUsage = await memoryUsageOfPrefix(redis);
  const after = await usedMemory(redis);
  return { sessions: total, memoryUsageBytesPerSession: memoryUsage / total, usedMemoryBytesPerSession: (after - before) / total, checkLatency };
}
