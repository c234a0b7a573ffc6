import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';

/** What login and refresh hand back: a fresh token pair bound to one session. */
export interface AuthResult {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  /** Opaque; replaces any earlier one of the same session. */
  readonly refreshToken: string;
  readonly session: SessionRecord;
  readonly user: UserRecord;
  readonly evictedSessions: number;
}
