import { isUserId } from '@graphql-auth-service/subgraph/ids';
import type { AccountService } from '../users/account-service';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { UserNotFoundError } from './cli-errors';

/**
 * A user named by id or by username. An id is tried first; a username may look
 * like an id (letters, digits and `-` are allowed), so it is tried next.
 */
export async function resolveUser(accounts: AccountService, usernameOrId: string): Promise<UserRecord> {
  const user =
    (isUserId(usernameOrId) ? await accounts.findById(usernameOrId) : undefined) ??
    (await accounts.findByUsername(usernameOrId));
  if (!user) throw new UserNotFoundError(`No user with username or id ${JSON.stringify(usernameOrId)}`);
  return user;
}
