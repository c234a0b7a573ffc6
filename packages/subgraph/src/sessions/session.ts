import type { AccountStatus } from '../users/user';

/** What a session record holds: metadata only, never the token itself. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  /** When the session ends unless refreshed: the idle timeout, never past absoluteExpiresAt. */
  readonly expiresAt: number;
  /** When the session ends whatever happens. */
  readonly absoluteExpiresAt: number;
  readonly lastSeenAt: number;
  readonly ip?: string;
  readonly userAgent?: string;
  /** How the user signed in to this session (RFC 8176 values, see auth/amr.ts); refresh keeps it. */
  readonly amr?: readonly string[];
}

/** A new session as login makes it: with the hash of its refresh token, never the token. */
export interface NewSession extends SessionRecord {
  /** Absent for sessions recorded in rollout mode: those cannot be refreshed. */
  readonly refreshTokenHash?: string;
}

export interface RefreshRotation {
  /** Hash of the refresh token the client presented. */
  readonly presentedHash: string;
  /** Hash of the refresh token that replaces it. */
  readonly nextHash: string;
  readonly nowMs: number;
  readonly idleTtlMs: number;
}

export type RefreshOutcome =
  | { readonly status: 'rotated'; readonly session: SessionRecord }
  /** A refresh token already used once: the session was revoked (theft detection). */
  | { readonly status: 'reused' }
  /** No live session with that refresh token. */
  | { readonly status: 'unknown' };

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
