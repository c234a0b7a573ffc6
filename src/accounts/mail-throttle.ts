import { createHmac, createSecretKey, randomUUID } from 'node:crypto';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { RateLimitedError } from '@graphql-auth-service/subgraph/errors';
import { clientAddressBucket } from '../brute-force/client-address';
import type { AttemptAdmission, CounterSubject, FailureCounterStore } from '../brute-force/failure-counter-store';
import type { LockoutPolicy } from '../brute-force/policy';

/**
 * Three mails to one address, then a 15-minute pause that doubles with each more, up to
 * a day; forgotten after a day without one. Enough for a user who asks again, too few to
 * make the service a mail cannon aimed at somebody's inbox.
 */
export const MAIL_PER_ADDRESS: LockoutPolicy = { failureFactor: 3, waitIncrementMs: 15 * 60_000, maxWaitMs: 86_400_000, failureResetMs: 86_400_000 };
/** Twenty mail-sending requests from one client address (an IPv6 client by its /64), then the same escalation; forgotten after an hour. */
export const MAIL_PER_CLIENT: LockoutPolicy = { failureFactor: 20, waitIncrementMs: 15 * 60_000, maxWaitMs: 86_400_000, failureResetMs: 3_600_000 };

const RATE_LIMITED_MESSAGE = 'Too many mails requested; try again later';

/** Counts every request that may send a mail, whether or not the address is known, so the limit tells nothing about accounts. */
export interface MailThrottle {
  /** Counts one more mail to `email` (normalised) requested from `clientAddress`; RATE_LIMITED past either limit. */
  count(email: string, clientAddress: string | undefined): Promise<void>;
}

export interface MailThrottleDeps {
  /** The login counters' store: the same Redis-backed counting, under tags of its own. */
  readonly store: FailureCounterStore;
  readonly enabled: boolean;
  /** Keys the HMAC that names an address in the counters (no address in plain text in the store). */
  readonly serverSecret: string;
  readonly clock: Clock;
}

export function createMailThrottle({ store, enabled, serverSecret, clock }: MailThrottleDeps): MailThrottle {
  if (!enabled) return { count: async () => undefined };
  const hmacKey = createSecretKey(Buffer.from(serverSecret, 'utf8'));
  return {
    async count(email, clientAddress) {
      const counted: [CounterSubject, LockoutPolicy][] = [[{ tag: `mail:${createHmac('sha256', hmacKey).update(email).digest('base64url')}` }, MAIL_PER_ADDRESS]];
      const bucket = clientAddress === undefined ? undefined : clientAddressBucket(clientAddress);
      // Under the address's tag, apart from its login counter: mails and logins are limited separately.
      if (bucket !== undefined) counted.push([{ tag: `ip:${bucket}`, member: 'mail' }, MAIL_PER_CLIENT]);
      const attemptId = randomUUID();
      const now = clock.now();
      const admissions = await Promise.all(counted.map(([subject, policy]) => store.begin(subject, attemptId, policy, now)));
      const refused = admissions.some((admission) => admission.status !== 'admitted');
      // Each admitted request counts as one mail, so a refused one does not lengthen the pause.
      await Promise.all(
        counted.map(([subject, policy], index) =>
          admissions[index].status === 'admitted' ? store.end(subject, attemptId, refused ? 'void' : 'failure', policy, now) : undefined,
        ),
      );
      if (refused) throw rateLimited(admissions, now);
    },
  };
}

function rateLimited(admissions: readonly AttemptAdmission[], now: number): RateLimitedError {
  const lockedUntil = Math.max(0, ...admissions.map((admission) => (admission.status === 'locked' ? admission.lockedUntil : 0)));
  const retryAfter = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  return new RateLimitedError(RATE_LIMITED_MESSAGE, { details: { retryAfter }, logReason: 'mail rate limited' });
}
