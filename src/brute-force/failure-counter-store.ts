import type { LockoutPolicy } from '../config/config';

export type AttemptAdmission =
  | { readonly status: 'admitted' }
  | { readonly status: 'locked'; readonly lockedUntil: number }
  /** Already as many attempts in flight as failures may still happen before the lock. */
  | { readonly status: 'busy' };

/** `success` forgets the subject's failures; `void` (an outage, or an address's success) changes nothing. */
export type AttemptResult = 'failure' | 'success' | 'void';

export interface FailureCounterState {
  readonly failures: number;
  /** Epoch ms; undefined when not locked at the time asked. */
  readonly lockedUntil: number | undefined;
}

/** An attempt that never ended (its process died) stops holding a slot after this long. */
export const STALE_ATTEMPT_MS = 60_000;

/**
 * Consecutive failed logins per subject (a username or a client address), shared
 * by every instance. Attempts are admitted and ended atomically with the lock
 * check: a subject with f failures has at most max(1, factor - f) attempts in
 * flight, so concurrent guesses cannot slip past the failure factor before their
 * failures are written, while in-flight logins never count as failures.
 */
export interface FailureCounterStore {
  begin(subject: string, attemptId: string, policy: LockoutPolicy, now: number): Promise<AttemptAdmission>;
  end(subject: string, attemptId: string, result: AttemptResult, policy: LockoutPolicy, now: number): Promise<void>;
  /** Forgets the subject's failures and lock. */
  reset(subject: string): Promise<void>;
  state(subject: string, now: number): Promise<FailureCounterState>;
}

/** How many attempts of a subject with this many failures may be in flight at once. */
export function attemptSlots(failures: number, policy: LockoutPolicy): number {
  return Math.max(1, policy.failureFactor - failures);
}
