import { attemptSlots, type FailureCounterStore, STALE_ATTEMPT_MS } from './failure-counter-store';
import { lockoutWaitMs } from './lockout-policy';

interface Counter {
  failures: number;
  lockedUntil: number;
  expiresAt: number;
  /** Attempt id → start time. */
  readonly inFlight: Map<string, number>;
}

/** The embedded store's counters: the same rules as the Redis scripts, in this process. */
export function createMemoryFailureCounterStore(): FailureCounterStore {
  const counters = new Map<string, Counter>();

  function counterOf(subject: string, now: number): Counter {
    const existing = counters.get(subject);
    if (existing && (existing.expiresAt > now || existing.inFlight.size > 0)) return existing;
    const fresh: Counter = { failures: 0, lockedUntil: 0, expiresAt: 0, inFlight: existing?.inFlight ?? new Map() };
    counters.set(subject, fresh);
    return fresh;
  }

  function forgetIfIdle(subject: string, counter: Counter): void {
    if (counter.failures === 0 && counter.inFlight.size === 0) counters.delete(subject);
  }

  return {
    async begin(subject, attemptId, policy, now) {
      const counter = counterOf(subject, now);
      if (counter.lockedUntil > now) return { status: 'locked', lockedUntil: counter.lockedUntil };
      for (const [id, startedAt] of counter.inFlight) if (startedAt <= now - STALE_ATTEMPT_MS) counter.inFlight.delete(id);
      if (counter.inFlight.size >= attemptSlots(counter.failures, policy)) return { status: 'busy' };
      counter.inFlight.set(attemptId, now);
      return { status: 'admitted' };
    },
    async end(subject, attemptId, result, policy, now) {
      const counter = counterOf(subject, now);
      counter.inFlight.delete(attemptId);
      if (result === 'success') {
        counter.failures = 0;
        counter.lockedUntil = 0;
      } else if (result === 'failure') {
        counter.failures += 1;
        const wait = lockoutWaitMs(counter.failures, policy);
        if (wait > 0) counter.lockedUntil = Math.max(counter.lockedUntil, now + wait);
        counter.expiresAt = now + Math.max(policy.failureResetMs, counter.lockedUntil - now);
      }
      forgetIfIdle(subject, counter);
    },
    async reset(subject) {
      const counter = counters.get(subject);
      if (!counter) return;
      counter.failures = 0;
      counter.lockedUntil = 0;
      forgetIfIdle(subject, counter);
    },
    async state(subject, now) {
      const counter = counters.get(subject);
      const live = counter && counter.expiresAt > now;
      return {
        failures: live ? counter.failures : 0,
        lockedUntil: live && counter.lockedUntil > now ? counter.lockedUntil : undefined,
      };
    },
  };
}
