import { isSessionId } from '@graphql-auth-service/subgraph/ids';
import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from './session-store';

/** A caller's own sessions; knows nothing of GraphQL. */
export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(sessions: SessionStore) {
  return {
    list: (userId: string): Promise<SessionRecord[]> => sessions.list(userId),
    logout: (userId: string, sessionId: string): Promise<boolean> => sessions.revoke(userId, sessionId),
    logoutAll: (userId: string, keepSessionId?: string): Promise<number> => sessions.revokeAll(userId, keepSessionId),
    /** Only ever one of the caller's own: the user id comes from the principal, not the client. */
    revoke: (userId: string, sessionId: string): Promise<boolean> =>
      isSessionId(sessionId) ? sessions.revoke(userId, sessionId) : Promise.resolve(false),
  };
}
