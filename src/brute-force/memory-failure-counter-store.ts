import {
  attemptSlots,
  type CounterSubject,
  type FailureCounterStore,
  SLOT_HOLD_MS,
  STALE_ATTEMPT_MS,
} from './failure-counter-store';
import { lockoutWaitMs, slowdownDelayMs } from './lockout-policy';

interface Counter {
  failures: number;
  lockedUntil: number;
  expiresAt: number;
  /** Attempt id → start time. */
  readonly inFlight: Map<string, number>;
}

interface Spacing {
  failures: number;
  nextAt: number;
  expiresAt: number;
  /** Attempt id → its slot. */
  readonly inFlight: Map<string, number>;
}

/** The embedded store's counters: the same rules as the Redis scripts, in this process. */
export function createMemoryFailureCounterStore(): FailureCounterStore {
  const counters = new Map<string, Counter>();
  const spacings = new Map<string, Spacing>();
  /** Username tag → the addresses (members) counted under it, as the Redis index keeps them. */
  const members = new Map<string, Set<string>>();

  const keyOf = ({ tag, member }: CounterSubject) => (member === undefined ? tag : `${tag}\n${member}`);

  function counterOf(subject: CounterSubject, now: number): Counter {
    const key = keyOf(subject);
    const existing = counters.get(key);
    if (existing && (existing.expiresAt > now || existing.inFlight.size > 0)) return existing;
    const fresh: Counter = { failures: 0, lockedUntil: 0, expiresAt: 0, inFlight: existing?.inFlight ?? new Map() };
    counters.set(key, fresh);
    return fresh;
  }

  function forgetIfIdle(subject: CounterSubject, counter: Counter): void {
    if (counter.failures === 0 && counter.inFlight.size === 0) counters.delete(keyOf(subject));
  }

  function spacingOf(tag: string, now: number): Spacing {
    const existing = spacings.get(tag);
    if (existing && (existing.expiresAt > now || existing.inFlight.size > 0)) {
      if (existing.expiresAt <= now) Object.assign(existing, { failures: 0, nextAt: 0, expiresAt: 0 });
      return existing;
    }
    const fresh: Spacing = { failures: 0, nextAt: 0, expiresAt: 0, inFlight: new Map() };
    spacings.set(tag, fresh);
    return fresh;
  }

  function forgetSpacingIfIdle(tag: string, spacing: Spacing): void {
    if (spacing.failures === 0 && spacing.nextAt === 0 && spacing.inFlight.size === 0) spacings.delete(tag);
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
        if (subject.member !== undefined) members.get(subject.tag)?.delete(subject.member);
      } else if (result === 'failure') {
        counter.failures += 1;
        const wait = lockoutWaitMs(counter.failures, policy);
        if (wait > 0) counter.lockedUntil = Math.max(counter.lockedUntil, now + wait);
        counter.expiresAt = now + Math.max(policy.failureResetMs, counter.lockedUntil - now);
        if (subject.member !== undefined) members.set(subject.tag, (members.get(subject.tag) ?? new Set()).add(subject.member));
      }
      forgetIfIdle(subject, counter);
    },
    async reset(subject) {
      const counter = counters.get(keyOf(subject));
      if (!counter) return;
      counter.failures = 0;
      counter.lockedUntil = 0;
      forgetIfIdle(subject, counter);
    },
    async state(subject, now) {
      const counter = counters.get(keyOf(subject));
      const live = counter && counter.expiresAt > now;
      return {
        failures: live ? counter.failures : 0,
        lockedUntil: live && counter.lockedUntil > now ? counter.lockedUntil : undefined,
      };
    },
    async reserveSlot(usernameTag, attemptId, policy, now) {
      const spacing = spacingOf(usernameTag, now);
      for (const [id, slot] of spacing.inFlight) if (slot <= now - STALE_ATTEMPT_MS) spacing.inFlight.delete(id);
      let slot = now;
      if (spacing.failures + spacing.inFlight.size >= policy.failureFactor) {
        slot = Math.max(now, spacing.nextAt);
        if (slot - now > SLOT_HOLD_MS) return { status: 'deferred', slotAt: slot };
        spacing.nextAt = slot + slowdownDelayMs(spacing.failures, policy);
        spacing.expiresAt = Math.max(spacing.expiresAt, spacing.nextAt);
      }
      spacing.inFlight.set(attemptId, slot);
      return { status: 'admitted', at: slot };
    },
    async endSlot(usernameTag, attemptId, result, policy, now) {
      const spacing = spacingOf(usernameTag, now);
      spacing.inFlight.delete(attemptId);
      if (result === 'success') {
        Object.assign(spacing, { failures: 0, nextAt: 0, expiresAt: 0 });
      } else if (result === 'failure') {
        spacing.failures += 1;
        spacing.expiresAt = now + Math.max(policy.failureResetMs, spacing.nextAt - now);
      }
      forgetSpacingIfIdle(usernameTag, spacing);
    },
    async slowdownState(usernameTag, now) {
      const spacing = spacings.get(usernameTag);
      const live = spacing && spacing.expiresAt > now;
      return {
        failures: live ? spacing.failures : 0,
        nextSlotAt: live && spacing.nextAt > now ? spacing.nextAt : undefined,
      };
    },
    async unlockUsername(usernameTag, now) {
      const spacing = spacings.get(usernameTag);
      const failures = spacing && spacing.expiresAt > now ? spacing.failures : 0;
      if (spacing) {
        Object.assign(spacing, { failures: 0, nextAt: 0, expiresAt: 0 });
        forgetSpacingIfIdle(usernameTag, spacing);
      }
      let pairFailures = 0;
      let lockedPairs = 0;
      for (const member of members.get(usernameTag) ?? []) {
        const subject = { tag: usernameTag, member };
        const counter = counters.get(keyOf(subject));
        if (!counter || counter.expiresAt <= now) continue;
        pairFailures += counter.failures;
        if (counter.lockedUntil > now) lockedPairs += 1;
        counter.failures = 0;
        counter.lockedUntil = 0;
        forgetIfIdle(subject, counter);
      }
      members.delete(usernameTag);
      return { failures, pairFailures, lockedPairs };
    },
  };
}
