import type { LockoutPolicy, SlowdownPolicy } from './policy';

/**
 * Whom failures are counted against. `tag` decides the cluster slot: `ip:<address>`
 * for a client address, `u:<HMAC>` for a username. A `member` is a client address
 * under a username's tag: that username tried from there. Every counter of one
 * username shares its slot, so an administrator's unlock finds and lifts them all at once.
 */
export interface CounterSubject {
  readonly tag: string;
  readonly member?: string;
}

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

export type SlotReservation =
  /** The password may be checked at `at` (epoch ms): now when the username is not spaced. */
  | { readonly status: 'admitted'; readonly at: number }
  /** The next free slot is more than SLOT_HOLD_MS away; nothing was taken. */
  | { readonly status: 'deferred'; readonly slotAt: number };

export interface SlowdownState {
  readonly failures: number;
  /** Epoch ms of the next free slot; undefined when it is not ahead of the time asked. */
  readonly nextSlotAt: number | undefined;
}

/** What an administrator's unlock of one username found and forgot. */
export interface UsernameUnlock {
  /** The username's own count, from every address since its last success. */
  readonly failures: number;
  /** The sum of its per-address counts. */
  readonly pairFailures: number;
  /** How many of its addresses were locked. */
  readonly lockedPairs: number;
}

/** An attempt that never ended (its process died) stops holding a slot after this long. */
export const STALE_ATTEMPT_MS = 60_000;

/**
 * The longest a spaced attempt is held on the server until its slot. Long enough to
 * absorb the first spacing steps (1, 2, 4 s), so an owner who arrives during an
 * attack is mostly just slowed down rather than refused; short enough to stay far
 * below the timeouts of clients and proxies (30 s and more), and it bounds the held
 * requests of one username to SLOT_HOLD_MS / increment + 1 (six by default).
 */
export const SLOT_HOLD_MS = 5_000;

/**
 * Failed logins shared by every instance, of two kinds.
 *
 * Locks (`begin`/`end`), per username at one address and per address: admitted and
 * ended atomically with the lock check, so a subject with f failures has at most
 * max(1, factor - f) attempts in flight and concurrent guesses cannot slip past the
 * failure factor before their failures are written; in-flight logins never count as failures.
 *
 * Spacing (`reserveSlot`/`endSlot`), per username from every address: never a lock.
 * Once failures plus attempts in flight reach the threshold, each attempt takes the
 * next free slot, which moves on by the policy's delay; a slot further away than
 * SLOT_HOLD_MS is refused without being taken.
 */
export interface FailureCounterStore {
  begin(subject: CounterSubject, attemptId: string, policy: LockoutPolicy, now: number): Promise<AttemptAdmission>;
  end(subject: CounterSubject, attemptId: string, result: AttemptResult, policy: LockoutPolicy, now: number): Promise<void>;
  /** Forgets the subject's failures and lock. */
  reset(subject: CounterSubject): Promise<void>;
  state(subject: CounterSubject, now: number): Promise<FailureCounterState>;
  reserveSlot(usernameTag: string, attemptId: string, policy: SlowdownPolicy, now: number): Promise<SlotReservation>;
  endSlot(usernameTag: string, attemptId: string, result: AttemptResult, policy: SlowdownPolicy, now: number): Promise<void>;
  slowdownState(usernameTag: string, now: number): Promise<SlowdownState>;
  /** Forgets the username's spacing and every per-address count and lock under its tag. */
  unlockUsername(usernameTag: string, now: number): Promise<UsernameUnlock>;
}

/** How many attempts of a subject with this many failures may be in flight at once. */
export function attemptSlots(failures: number, policy: LockoutPolicy): number {
  return Math.max(1, policy.failureFactor - failures);
}
