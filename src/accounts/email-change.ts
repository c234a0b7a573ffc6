import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import type { PasswordGuessGuard } from '../users/account-ports';
import { normalizeEmail } from '../users/email-address';
import type { PasswordHasher } from '../users/passwords';
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
  readonly passwords: PasswordHasher;
  /** The login's brute-force protection: a stolen access token must not become a password oracle. */
  readonly guard: PasswordGuessGuard;
  readonly lifetimeMs: number;
}

/**
 * Asks to move an account to a new address: a link goes to the new address, and the
 * account keeps its current one until the link is followed (verifyEmail). Always true
 * once the password is right: whether another account holds the address is not told.
 */
export type EmailChange = (userId: string, newEmail: string, currentPassword: string, clientAddress: string | undefined) => Promise<true>;

export function createEmailChange({ users, tokens, mailer, throttle, passwords, guard, lifetimeMs }: EmailChangeDeps): EmailChange {
  return async (userId, newEmail, currentPassword, clientAddress) => {
    mailer.requireMail();
    const address = normalizeEmail(newEmail);
    const user = await users.findById(userId);
    if (!user) throw new BadUserInputError('No such user', { details: { field: 'userId' } });
    const wrongPassword = new BadUserInputError('The current password is wrong', { details: { field: 'currentPassword' } });
    await guard.guard(
      user.username,
      clientAddress,
      async () => {
        // Not UNAUTHENTICATED: the caller's token is fine, and clients treat that code as "log in again".
        if (!(await passwords.verify(currentPassword, user.passwordHash))) throw wrongPassword;
      },
      (error) => error === wrongPassword,
    );
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
