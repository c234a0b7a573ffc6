import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { UserStore } from '../users/user-store';
import { newAccountToken, type AccountTokenPurpose } from './account-token';
import type { AccountTokenStore } from './account-token-store';

/**
 * The store round trips an answer that mails a link costs, spent by one that does not,
 * so the time of an always-true answer tells nothing about the address: the account's
 * record read (when the address found nobody; findByEmail reads it after the index) and
 * the token's write (a delete of a token nobody holds). Nothing is kept.
 */
export async function spendAsIfMailing(users: UserStore, tokens: AccountTokenStore, purpose: AccountTokenPurpose, foundAccount: boolean): Promise<void> {
  if (!foundAccount) await users.findById(newUserId(Date.now()));
  await tokens.consume(purpose, newAccountToken());
}
