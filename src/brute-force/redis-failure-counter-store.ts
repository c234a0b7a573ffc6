import { join } from 'node:path';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { defineScript } from '@graphql-auth-service/subgraph/redis/scripts';
import { failClosed } from '@graphql-auth-service/subgraph/redis/unavailable';
import { type CounterSubject, type FailureCounterStore, SLOT_HOLD_MS, STALE_ATTEMPT_MS } from './failure-counter-store';

const lua = (name: string) => join(__dirname, 'lua', `${name}.lua`);

const BUSY = -1;

/**
 * Small hashes and sorted sets changed only by scripts, so every instance sees one
 * count. Every key of one subject, and every counter under one username's tag, is on
 * one slot: each script is atomic, and an unlock reaches all of a username's counters.
 */
export function createRedisFailureCounterStore(redis: RedisClient, keys: RedisKeys): FailureCounterStore {
  const scripts = {
    begin: defineScript(redis, 'authBeginLoginAttempt', 2, [lua('begin-attempt')]),
    end: defineScript(redis, 'authEndLoginAttempt', 3, [lua('end-attempt')]),
    reserveSlot: defineScript(redis, 'authReserveLoginSlot', 2, [lua('reserve-slot')]),
    endSlot: defineScript(redis, 'authEndLoginSlot', 2, [lua('end-slot')]),
    unlockUsername: defineScript(redis, 'authUnlockUsername', 2, [lua('unlock-username')]),
  };
  const keysOf = ({ tag, member }: CounterSubject) => [keys.loginFailures(tag, member), keys.loginAttempts(tag, member)];

  return {
    async begin(subject, attemptId, policy, now) {
      const args = [now, attemptId, policy.failureFactor, STALE_ATTEMPT_MS];
      const reply = Number(await failClosed(() => scripts.begin(keysOf(subject), args)));
      if (reply === 0) return { status: 'admitted' };
      return reply === BUSY ? { status: 'busy' } : { status: 'locked', lockedUntil: reply };
    },
    async end(subject, attemptId, result, policy, now) {
      const args = [
        now,
        attemptId,
        result,
        policy.failureFactor,
        policy.waitIncrementMs,
        policy.maxWaitMs,
        policy.failureResetMs,
        subject.member ?? '',
      ];
      await failClosed(() => scripts.end([...keysOf(subject), keys.loginPairs(subject.tag)], args));
    },
    async reset(subject) {
      await failClosed(() => redis.del(keys.loginFailures(subject.tag, subject.member)));
    },
    async state(subject, now) {
      const [failures, lockedUntil] = await failClosed(() => redis.hmget(keys.loginFailures(subject.tag, subject.member), 'f', 'l'));
      const until = Number(lockedUntil ?? 0);
      return { failures: Number(failures ?? 0), lockedUntil: until > now ? until : undefined };
    },
    async reserveSlot(usernameTag, attemptId, policy, now) {
      const args = [now, attemptId, policy.failureFactor, policy.incrementMs, policy.maxDelayMs, SLOT_HOLD_MS, STALE_ATTEMPT_MS];
      const [admitted, slot] = (await failClosed(() => scripts.reserveSlot(keysOf({ tag: usernameTag }), args))) as [number, number];
      return admitted === 1 ? { status: 'admitted', at: Number(slot) } : { status: 'deferred', slotAt: Number(slot) };
    },
    async endSlot(usernameTag, attemptId, result, policy, now) {
      await failClosed(() => scripts.endSlot(keysOf({ tag: usernameTag }), [now, attemptId, result, policy.failureResetMs]));
    },
    async slowdownState(usernameTag, now) {
      const [failures, nextAt] = await failClosed(() => redis.hmget(keys.loginFailures(usernameTag), 'f', 'n'));
      const next = Number(nextAt ?? 0);
      return { failures: Number(failures ?? 0), nextSlotAt: next > now ? next : undefined };
    },
    async unlockUsername(usernameTag, now) {
      const scriptKeys = [keys.loginFailures(usernameTag), keys.loginPairs(usernameTag)];
      const args = [now, keys.loginFailures(usernameTag, '')];
      const [failures, pairFailures, lockedPairs] = (await failClosed(() => scripts.unlockUsername(scriptKeys, args))) as number[];
      return { failures: Number(failures), pairFailures: Number(pairFailures), lockedPairs: Number(lockedPairs) };
    },
  };
}
