import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';

/**
 * Checks a username and password and answers with the account to log in. Throws
 * UnauthenticatedError for bad credentials (one message for every kind) and
 * ServiceUnavailableError when it cannot tell.
 */
export interface CredentialProvider {
  readonly name: 'local' | 'remote';
  verify(username: string, password: string): Promise<UserRecord>;
}
