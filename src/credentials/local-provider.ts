import type { AccountService } from '../users/account-service';
import type { CredentialProvider } from './credential-provider';

/** Accounts kept by this service (bcrypt hashes in the user store): the default. */
export function createLocalProvider(accounts: AccountService): CredentialProvider {
  return { name: 'local', verify: (username, password) => accounts.authenticate(username, password) };
}
