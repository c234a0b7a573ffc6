import type { SessionCheck, SessionRecord } from './session';

/**
 * The read side of the sessions, which every authenticated request needs: is this
 * session live, and what is its account's status now. A subgraph holds only this;
 * it never writes a session.
 */
export interface SessionChecker {
  /**
   * Whether the session is live, plus the account's current status, in one round
   * trip; refreshes `lastSeenAt` when it is older than `touchIntervalMs`.
   */
  check(userId: string, sessionId: string, nowMs: number, touchIntervalMs: number): Promise<SessionCheck>;
}

/** Rollout mode's one write on the request path. */
export interface SessionRecorder {
  /** Adds a session seen in a valid token if it is unknown; no cap applies. */
  record(session: SessionRecord): Promise<boolean>;
}
