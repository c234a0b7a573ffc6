import type {
  NewSession,
  RefreshOutcome,
  RefreshRotation,
  SessionCreation,
  SessionLimit,
  SessionRecord,
} from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionChecker, SessionRecorder } from '@graphql-auth-service/subgraph/sessions/session-checker';

/**
 * A user's sessions, ordered oldest first. Implementations: Redis (each operation
 * one atomic script on the user's slot) and in-memory, with the same semantics.
 */
export interface SessionStore extends SessionChecker, SessionRecorder {
  /** Adds a session, first evicting the oldest (or refusing) when the cap is reached. */
  create(session: NewSession, limit: SessionLimit): Promise<SessionCreation>;
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
