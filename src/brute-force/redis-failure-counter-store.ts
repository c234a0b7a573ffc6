import { join } from 'node:path';
import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { defineScript } from '../redis/scripts';
import { failClosed } from '../redis/unavailable';
import { type FailureCounterStore, STALE_ATTEMPT_MS } from './failure-counter-store';

const lua = (name: string) => join(__dirname, 'lua', `${name}.lua`);

const BUSY = -1;

/** A small hash and a sorted set per subject on one slot, changed only by scripts, so every instance sees one count. */
export function createRedisFailureCounterStore(redis: RedisClient, keys: RedisKeys): FailureCounterStore {
  const scripts = {
    begin: defineScript(redis, 'authBeginLoginAttempt', 2, [lua('begin-attempt')]),
    end: defineScript(redis, 'authEndLoginAttempt', 2, [lua('end-attempt')]),
  };
  const keysOf = (subject: string) => [keys.loginFailures(subject), keys.loginAttempts(subject)];

  return {
    async begin(subject, attemptId, policy, now) {
      const args = [now, attemptId, policy.failureFactor, STALE_ATTEMPT_MS];
      const reply = Number(await failClosed(() => scripts.begin(keysOf(subject), args)));
      if (reply === 0) return { status: 'admitted' };
      return reply === BUSY ? { status: 'busy' } : { status: 'locked', lockedUntil: reply };
    },
    async end(subject, attemptId, result, policy, now) {
      const args = [now, attemptId, result, policy.failureFactor, policy.waitIncrementMs, policy.maxWaitMs, policy.failureResetMs];
      await failClosed(() => scripts.end(keysOf(subject), args));
    },
    async reset(subject) {
      await failClosed(() => redis.del(keys.loginFailures(subject)));
    },
    async state(subject, now) {
      const [failures, lockedUntil] = await failClosed(() => redis.hmget(keys.loginFailures(subject), 'f', 'l'));
      const until = Number(lockedUntil ?? 0);
      return { failures: Number(failures ?? 0), lockedUntil: until > now ? until : undefined };
    },
  };
}
