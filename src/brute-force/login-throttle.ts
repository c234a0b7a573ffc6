import { createHmac, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { BruteForceConfig, LockoutPolicy } from './policy';
import { RateLimitedError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { normalizeUsername } from '../users/username';
import { clientAddressBucket } from './client-address';
import type { AttemptAdmission, AttemptResult, CounterSubject, FailureCounterStore, SlotReservation } from './failure-counter-store';

/**
 * Runs a credential check under brute-force protection. Failures lock the guesser,
 * not the account: a username at one client address, and a client address whatever
 * the username, each lock after their failure factor (RATE_LIMITED, even for the
 * right password). A username's failures from all addresses together only space its
 * attempts out: past its threshold each attempt waits for a slot of its own, on the
 * server when the slot is a few seconds away, otherwise it is told when to come
 * back. So someone who knows a username can slow its owner down, never lock them out.
 * A success forgets the failures of its username and of that username at that
 * address, not the address's own, so one known password cannot launder an address.
 */
export interface LoginThrottle {
  /** `isFailure` picks the errors that mean a wrong password; by default UNAUTHENTICATED. */
  guard<T>(username: string, clientAddress: string | undefined, check: () => Promise<T>, isFailure?: FailurePredicate): Promise<T>;
  /**
   * An administrator's unlock: lifts the username's lock at every address and its
   * spacing, and forgets their failures; says what there was. A client address's own
   * lock (from spraying many usernames) is not lifted: it ends by itself.
   */
  unlock(username: string): Promise<UnlockReport>;
}

export interface UnlockReport {
  /** Failed logins forgotten: the larger of the username's own count and its addresses' counts summed. */
  readonly failures: number;
  /** Addresses at which the username was locked. */
  readonly lockedAddresses: number;
  /** Whether the username's attempts were being spaced. */
  readonly slowedDown: boolean;
}

export type FailurePredicate = (error: unknown) => boolean;

export interface LoginThrottleDeps {
  readonly store: FailureCounterStore;
  readonly config: BruteForceConfig;
  /**
   * Keys the HMAC that names a username in the counters: the same on every instance,
   * or each would count apart.
   */
  readonly serverSecret: string;
  readonly clock: Clock;
}

interface CountedSubject {
  readonly subject: CounterSubject;
  readonly policy: LockoutPolicy;
  /** What a successful check does to this subject's count. */
  readonly onSuccess: AttemptResult;
}

export const LOCKED_OUT_MESSAGE = 'Too many failed login attempts; try again later';
export const BUSY_MESSAGE = 'Too many login attempts at once; try again in a moment';
export const SLOWED_DOWN_MESSAGE = 'Too many failed logins for this username; try again later';

/**
 * How often a request held for its slot looks at the clock again. The hold follows
 * the service's clock rather than one timer, so a clock moved by hand (tests) is
 * followed too; a few timer wake-ups a second cost nothing next to a bcrypt compare.
 */
const HOLD_CHECK_INTERVAL_MS = 100;

/** The counter member of an attempt from no known address: all such attempts share one. */
const UNKNOWN_ADDRESS = 'ip:unknown';

const isUnauthenticated: FailurePredicate = (error) => error instanceof UnauthenticatedError;

/**
 * The tag a username is counted under, existing or not, so counting says nothing about
 * whether an account exists. An HMAC, not a plain hash: people type passwords into the
 * username field, and a plain digest in a Redis dump could be checked against a
 * dictionary offline; without the server secret this cannot.
 */
function usernameTag(username: string, key: KeyObject): string {
  return `u:${createHmac('sha256', key).update(normalizeUsername(username)).digest('base64url')}`;
}

export function createLoginThrottle({ store, config, serverSecret, clock }: LoginThrottleDeps): LoginThrottle {
  if (!config.enabled) {
    return {
      guard: (_username, _address, check) => check(),
      unlock: async () => ({ failures: 0, lockedAddresses: 0, slowedDown: false }),
    };
  }
  const hmacKey = createSecretKey(Buffer.from(serverSecret, 'utf8'));

  /** The username at this address (locks the guesser), and the address itself (locks a sprayer). */
  function locksOf(tag: string, clientAddress: string | undefined): CountedSubject[] {
    const bucket = clientAddress === undefined ? undefined : clientAddressBucket(clientAddress);
    const member = bucket === undefined ? UNKNOWN_ADDRESS : `ip:${bucket}`;
    const pair: CountedSubject = { subject: { tag, member }, policy: config.pair, onSuccess: 'success' };
    if (bucket === undefined) return [pair];
    return [pair, { subject: { tag: `ip:${bucket}` }, policy: config.clientAddress, onSuccess: 'void' }];
  }

  async function end(locks: readonly CountedSubject[], attemptId: string, result: (counted: CountedSubject) => AttemptResult) {
    const now = clock.now();
    await Promise.all(locks.map((counted) => store.end(counted.subject, attemptId, result(counted), counted.policy, now)));
  }

  /** Admits the attempt on every lock, or on none when any is locked, busy or unreachable. */
  async function admit(locks: readonly CountedSubject[], attemptId: string): Promise<void> {
    const now = clock.now();
    const outcomes = await Promise.allSettled(locks.map(({ subject, policy }) => store.begin(subject, attemptId, policy, now)));
    const admissions = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
    if (admissions.every((admission) => admission?.status === 'admitted')) return;
    await end(locks.filter((_, index) => admissions[index]?.status === 'admitted'), attemptId, () => 'void');
    const unreachable = outcomes.find((outcome) => outcome.status === 'rejected');
    if (unreachable) throw unreachable.reason;
    throw refusal(admissions, now);
  }

  /**
   * Takes the username's next slot; only an attempt its locks admitted gets here, so a
   * locked guesser never moves the owner's slot. Refused when the slot is too far off.
   */
  async function reserve(tag: string, locks: readonly CountedSubject[], attemptId: string): Promise<number> {
    const now = clock.now();
    let reservation: SlotReservation;
    try {
      reservation = await store.reserveSlot(tag, attemptId, config.usernameSlowdown, now);
    } catch (error) {
      await end(locks, attemptId, () => 'void');
      throw error;
    }
    if (reservation.status === 'admitted') return reservation.at;
    await end(locks, attemptId, () => 'void');
    const retryAfter = Math.max(1, Math.ceil((reservation.slotAt - now) / 1000));
    throw new RateLimitedError(SLOWED_DOWN_MESSAGE, { details: { retryAfter }, logReason: 'login slowed down' });
  }

  async function holdUntil(at: number): Promise<void> {
    for (let left = at - clock.now(); left > 0; left = at - clock.now()) {
      await sleep(Math.min(left, HOLD_CHECK_INTERVAL_MS));
    }
  }

  return {
    async guard(username, clientAddress, check, isFailure = isUnauthenticated) {
      const tag = usernameTag(username, hmacKey);
      const locks = locksOf(tag, clientAddress);
      const attemptId = randomUUID();
      await admit(locks, attemptId);
      const slot = await reserve(tag, locks, attemptId);
      const endAll = async (result: (counted: CountedSubject) => AttemptResult, usernameResult: AttemptResult) => {
        const now = clock.now();
        await Promise.all([end(locks, attemptId, result), store.endSlot(tag, attemptId, usernameResult, config.usernameSlowdown, now)]);
      };
      let result: Awaited<ReturnType<typeof check>>;
      try {
        await holdUntil(slot);
        result = await check();
      } catch (error) {
        // Only a wrong password (or a disabled account) is a failure; an outage is nobody's guess.
        // If the failure cannot be written, the store's SERVICE_UNAVAILABLE wins: no uncounted guesses.
        const failed = isFailure(error);
        await endAll(() => (failed ? 'failure' : 'void'), failed ? 'failure' : 'void');
        throw error;
      }
      await endAll((counted) => counted.onSuccess, 'success');
      return result;
    },
    async unlock(username) {
      const found = await store.unlockUsername(usernameTag(username, hmacKey), clock.now());
      return {
        failures: Math.max(found.failures, found.pairFailures),
        lockedAddresses: found.lockedPairs,
        slowedDown: found.failures >= config.usernameSlowdown.failureFactor,
      };
    },
  };
}

function refusal(admissions: readonly (AttemptAdmission | undefined)[], now: number): RateLimitedError {
  const lockedUntil = Math.max(0, ...admissions.map((admission) => (admission?.status === 'locked' ? admission.lockedUntil : 0)));
  if (lockedUntil === 0) return new RateLimitedError(BUSY_MESSAGE, { details: { retryAfter: 1 }, logReason: 'login attempts in flight' });
  const retryAfter = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  return new RateLimitedError(LOCKED_OUT_MESSAGE, { details: { retryAfter }, logReason: 'login locked' });
}
