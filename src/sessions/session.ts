import type { AccountStatus } from '../users/user';

/** What a session record holds: metadata only, never the token itself. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  readonly ip?: string;
  readonly userAgent?: string;
}

export type SessionLimitPolicy = 'evict-oldest' | 'reject';

export interface SessionLimit {
  /** 0 means no cap. */
  readonly max: number;
  readonly policy: SessionLimitPolicy;
}

export type SessionCreation =
  | { readonly status: 'created'; readonly evictedSessionIds: readonly string[] }
  | { readonly status: 'limit-reached' };

export interface SessionCheck {
  readonly found: boolean;
  /** The session was revoked recently (within the revocation memory); only rollout mode needs this. */
  readonly revoked: boolean;
  /** When all of the user's sessions were last revoked, if within the revocation memory. */
  readonly allRevokedAt: number | undefined;
  /** The account's current status; undefined when the user has no local account record. */
  readonly account: AccountStatus | undefined;
}
