import { NO_LOCAL_PASSWORD, type SessionRevoker } from '../users/account-ports';
import { assertAcceptablePassword } from '../users/password-policy';
import type { PasswordHasher } from '../users/passwords';
import type { UserStore } from '../users/user-store';
import { normalizeEmail } from '../users/email-address';
import type { AccountMailer } from './account-mailer';
import type { AccountTokenStore } from './account-token-store';
import { spendAsIfMailing } from './equal-work';
import { invalidLink } from './invalid-link';
import type { MailThrottle } from './mail-throttle';
import { passwordStamp } from './password-stamp';

export interface PasswordResetDeps {
  readonly users: UserStore;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly throttle: MailThrottle;
  readonly passwords: PasswordHasher;
  readonly sessions: SessionRevoker;
  readonly lifetimeMs: number;
}

export interface PasswordReset {
  /** Always true: mails only an address that has an account with a password of its own here. */
  request(email: string, clientAddress: string | undefined): Promise<true>;
  /** Single use; the new password revokes every session of the account. */
  reset(token: string, newPassword: string): Promise<true>;
}

export function createPasswordReset({ users, tokens, mailer, throttle, passwords, sessions, lifetimeMs }: PasswordResetDeps): PasswordReset {
  return {
    async request(email, clientAddress) {
      mailer.requireMail();
      const address = normalizeEmail(email);
      await throttle.count(address, clientAddress);
      const user = await users.findByEmail(address);
      if (!user || user.passwordHash === NO_LOCAL_PASSWORD) {
        await spendAsIfMailing(users, tokens, 'password-reset', user !== undefined);
        return true;
      }
      const token = await tokens.issue('password-reset', { userId: user.id, email: address, stamp: passwordStamp(user.passwordHash) }, lifetimeMs);
      mailer.passwordReset(address, user.username, token);
      return true;
    },

    async reset(token, newPassword) {
      // Everything is checked before the token is spent: a password the policy refuses leaves the link usable.
      const payload = await tokens.peek('password-reset', token);
      const user = payload && (await users.findById(payload.userId));
      // Dead once the password changed by any route, or the account's address changed.
      if (!user || user.email !== payload.email || passwordStamp(user.passwordHash) !== payload.stamp || user.disabled) throw invalidLink();
      assertAcceptablePassword(newPassword, user.username, 'newPassword');
      // Single use: of two requests racing with one link, only one gets here.
      if (!(await tokens.consume('password-reset', token))) throw invalidLink();
      await users.update(user.id, { passwordHash: await passwords.hash(newPassword) });
      await sessions.revokeAll(user.id);
      // Following the mailed link proved the address, too (if the account still has it).
      await users.markEmailVerified(user.id, payload.email);
      return true;
    },
  };
}
