import type { UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';

/**
 * Tells an account's owner, by mail, that something about its security changed. Only to
 * a verified address (an unverified one may not be theirs), and only where mail is
 * configured: a notice is never a reason to refuse the change.
 */
export type SecurityNotice = (userId: string, change: string) => Promise<void>;

export function createSecurityNotice(users: Pick<UserStore, 'findById'>, mailer: AccountMailer): SecurityNotice {
  return async (userId, change) => {
    if (!mailer.sendsMail) return;
    const user = await users.findById(userId);
    if (user?.email !== undefined && user.emailVerified === true) mailer.secondFactorChanged(user.email, user.username, change);
  };
}
