import type {
  NewSession,
  RefreshOutcome,
  RefreshRotation,
  SessionCheck,
  SessionCreation,
  SessionLimit,
  SessionRecord,
} from './session';

/**
 * A user's sessions, ordered oldest first. Implementations: Redis (each operation
 * one atomic script on the user's slot) and in-memory, with the same semantics.
 */
export interface SessionStore {
  /** Adds a session, first evicting the oldest (or refusing) when the cap is reached. */
  create(session: NewSession, limit: SessionLimit): Promise<SessionCreation>;
  /** Rollout mode: adds a session seen in a valid token if it is unknown; no cap applies. */
  record(session: SessionRecord): Promise<boolean>;
  /**
   * Whether the session is live, plus the account's current status, in one round
   * trip; refreshes `lastSeenAt` when it is older than `touchIntervalMs`.
   */
  check(userId: string, sessionId: string, nowMs: number, touchIntervalMs: number): Promise<SessionCheck>;
  /**
   * Swaps the session's refresh token for the next one and extends its idle expiry
   * (never past its absolute expiry), atomically: of two refreshes with one token,
   * exactly one wins. A token that was already rotated away revokes the session.
   */
  rotateRefresh(userId: string, sessionId: string, rotation: RefreshRotation): Promise<RefreshOutcome>;
  /** Live sessions, newest first. */
  list(userId: string): Promise<SessionRecord[]>;
  revoke(userId: string, sessionId: string): Promise<boolean>;
  /** Returns how many were revoked. */
  revokeAll(userId: string, keepSessionId?: string): Promise<number>;
}
