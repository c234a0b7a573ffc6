import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { normalizeEmail } from '../users/email-address';
import { EmailTakenError, type UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';
import { spendAsIfMailing } from './equal-work';
import type { AccountTokenStore } from './account-token-store';
import { invalidLink } from './invalid-link';
import type { MailThrottle } from './mail-throttle';

export interface EmailVerificationDeps {
  readonly users: UserStore;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly throttle: MailThrottle;
  readonly lifetimeMs: number;
}

export interface EmailVerification {
  /** Mails `user` a link that verifies the address the account has now. */
  send(user: UserRecord): Promise<void>;
  /** Always true: mails only an address that has an account not yet verified. */
  resend(email: string, clientAddress: string | undefined): Promise<true>;
  /**
   * Follows a mailed link: verifies the account's address, or (from a change of address)
   * makes the new address the account's, verified. Single use.
   */
  verify(token: string): Promise<true>;
}

export function createEmailVerification({ users, tokens, mailer, throttle, lifetimeMs }: EmailVerificationDeps): EmailVerification {
  async function send(user: UserRecord): Promise<void> {
    if (user.email === undefined) return;
    const token = await tokens.issue('verify-email', { userId: user.id, email: user.email }, lifetimeMs);
    mailer.verifyEmail(user.email, user.username, token);
  }

  return {
    send,

    async resend(email, clientAddress) {
      mailer.requireMail();
      const address = normalizeEmail(email);
      await throttle.count(address, clientAddress);
      const user = await users.findByEmail(address);
      if (user && !user.emailVerified) await send(user);
      else await spendAsIfMailing(users, tokens, 'verify-email', user !== undefined);
      return true;
    },

    async verify(token) {
      const verification = await tokens.consume('verify-email', token);
      if (verification) {
        // A link to an address the account no longer has verifies nothing.
        if (!(await users.markEmailVerified(verification.userId, verification.email))) throw invalidLink();
        return true;
      }
      const change = await tokens.consume('email-change', token);
      if (!change) throw invalidLink();
      try {
        if (!(await users.changeEmail(change.userId, change.email, true))) throw invalidLink();
      } catch (error) {
        // Someone else verified that address in the meantime: this link can no longer apply.
        if (error instanceof EmailTakenError) throw invalidLink();
        throw error;
      }
      return true;
    },
  };
}
