import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { BruteForceConfig, LockoutPolicy } from '../config/config';
import { RateLimitedError, UnauthenticatedError } from '../errors';
import { normalizeUsername } from '../users/username';
import { clientAddressBucket } from './client-address';
import type { AttemptAdmission, AttemptResult, FailureCounterState, FailureCounterStore } from './failure-counter-store';

/**
 * Runs a credential check under brute-force protection: refused with RATE_LIMITED
 * while the username or the client address is locked (or has its share of
 * attempts in flight), counted as a failure when the check fails. A success
 * forgets the username's failures but not the address's, so one known password
 * cannot launder an address's failures.
 */
export interface LoginThrottle {
  /** `isFailure` picks the errors that mean a wrong password; by default UNAUTHENTICATED. */
  guard<T>(username: string, clientAddress: string | undefined, check: () => Promise<T>, isFailure?: FailurePredicate): Promise<T>;
  /** Lifts a username's lock and forgets its failures (an administrator's unlock); says what there was. */
  unlock(username: string): Promise<FailureCounterState>;
}

export type FailurePredicate = (error: unknown) => boolean;

export interface LoginThrottleDeps {
  readonly store: FailureCounterStore;
  readonly config: BruteForceConfig;
  readonly clock: Clock;
}

interface CountedSubject {
  readonly subject: string;
  readonly policy: LockoutPolicy;
  /** What a successful check does to this subject's count. */
  readonly onSuccess: AttemptResult;
}

export const LOCKED_OUT_MESSAGE = 'Too many failed login attempts; try again later';
export const BUSY_MESSAGE = 'Too many login attempts at once; try again in a moment';

const isUnauthenticated: FailurePredicate = (error) => error instanceof UnauthenticatedError;

/**
 * Unknown usernames are counted exactly like existing ones, so a lockout says
 * nothing about whether an account exists. Stored hashed: people type passwords
 * into the username field.
 */
export function usernameSubject(username: string): string {
  return `u:${createHash('sha256').update(normalizeUsername(username)).digest('base64url')}`;
}

export function createLoginThrottle({ store, config, clock }: LoginThrottleDeps): LoginThrottle {
  if (!config.enabled) {
    return { guard: (_username, _address, check) => check(), unlock: async () => ({ failures: 0, lockedUntil: undefined }) };
  }

  function subjectsOf(username: string, clientAddress: string | undefined): CountedSubject[] {
    const bucket = clientAddress === undefined ? undefined : clientAddressBucket(clientAddress);
    return [
      { subject: usernameSubject(username), policy: config.username, onSuccess: 'success' },
      ...(bucket === undefined ? [] : [{ subject: `ip:${bucket}`, policy: config.clientAddress, onSuccess: 'void' as const }]),
    ];
  }

  async function end(subjects: readonly CountedSubject[], attemptId: string, result: (subject: CountedSubject) => AttemptResult) {
    const now = clock.now();
    await Promise.all(subjects.map((counted) => store.end(counted.subject, attemptId, result(counted), counted.policy, now)));
  }

  /** Admits the attempt on every subject, or on none when any is locked, busy or unreachable. */
  async function admit(subjects: readonly CountedSubject[], attemptId: string): Promise<void> {
    const now = clock.now();
    const outcomes = await Promise.allSettled(subjects.map(({ subject, policy }) => store.begin(subject, attemptId, policy, now)));
    const admissions = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
    if (admissions.every((admission) => admission?.status === 'admitted')) return;
    await end(subjects.filter((_, index) => admissions[index]?.status === 'admitted'), attemptId, () => 'void');
    const unreachable = outcomes.find((outcome) => outcome.status === 'rejected');
    if (unreachable) throw unreachable.reason;
    throw refusal(admissions, now);
  }

  return {
    async guard(username, clientAddress, check, isFailure = isUnauthenticated) {
      const subjects = subjectsOf(username, clientAddress);
      const attemptId = randomUUID();
      await admit(subjects, attemptId);
      let result: Awaited<ReturnType<typeof check>>;
      try {
        result = await check();
      } catch (error) {
        // Only a wrong password (or a disabled account) is a failure; an outage is nobody's guess.
        // If the failure cannot be written, the store's SERVICE_UNAVAILABLE wins: no uncounted guesses.
        const failed = isFailure(error);
        await end(subjects, attemptId, () => (failed ? 'failure' : 'void'));
        throw error;
      }
      await end(subjects, attemptId, (counted) => counted.onSuccess);
      return result;
    },
    async unlock(username) {
      const subject = usernameSubject(username);
      const before = await store.state(subject, clock.now());
      await store.reset(subject);
      return before;
    },
  };
}

function refusal(admissions: readonly (AttemptAdmission | undefined)[], now: number): RateLimitedError {
  const lockedUntil = Math.max(0, ...admissions.map((admission) => (admission?.status === 'locked' ? admission.lockedUntil : 0)));
  if (lockedUntil === 0) return new RateLimitedError(BUSY_MESSAGE, { details: { retryAfter: 1 }, reason: 'login attempts in flight' });
  const retryAfter = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  return new RateLimitedError(LOCKED_OUT_MESSAGE, { details: { retryAfter }, reason: 'login locked' });
}
