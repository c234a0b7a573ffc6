import type { AccountService } from '../users/account-service';
import { normalizeEmail } from '../users/email-address';
import type { UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';
import { spendAsIfMailing } from './equal-work';
import type { AccountTokenStore } from './account-token-store';
import type { MailThrottle } from './mail-throttle';

export interface EmailChangeDeps {
  readonly users: UserStore;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly throttle: MailThrottle;
  /** Checks the current password under the login's brute-force protection. */
  readonly accounts: Pick<AccountService, 'confirmCurrentPassword'>;
  readonly lifetimeMs: number;
}

/**
 * Asks to move an account to a new address: a link goes to the new address, and the
 * account keeps its current one until the link is followed (verifyEmail). Always true
 * once the password is right: whether another account holds the address is not told.
 */
export type EmailChange = (userId: string, newEmail: string, currentPassword: string, clientAddress: string | undefined) => Promise<true>;

export function createEmailChange({ users, tokens, mailer, throttle, accounts, lifetimeMs }: EmailChangeDeps): EmailChange {
  return async (userId, newEmail, currentPassword, clientAddress) => {
    mailer.requireMail();
    const address = normalizeEmail(newEmail);
    const user = await accounts.confirmCurrentPassword(userId, currentPassword, clientAddress);
    await throttle.count(address, clientAddress);
    const holder = await users.findByEmail(address);
    if (holder && holder.id !== user.id) {
      await spendAsIfMailing(users, tokens, 'email-change', true);
      return true;
    }
    const token = await tokens.issue('email-change', { userId: user.id, email: address }, lifetimeMs);
    mailer.emailChange(address, user.username, token);
    return true;
  };
}
