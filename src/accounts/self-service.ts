import type { AccountService } from '../users/account-service';
import type { SessionRevoker } from '../users/account-ports';
import type { PasswordHasher } from '../users/passwords';
import type { UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';
import type { AccountTokenStore } from './account-token-store';
import type { AccountsConfig } from './accounts-config';
import { createEmailChange, type EmailChange } from './email-change';
import { createEmailVerification } from './email-verification';
import { createInviteUser, type InviteUser } from './invitations';
import type { MailThrottle } from './mail-throttle';
import { createPasswordReset } from './password-reset';
import { createSignUp, type SignUp } from './sign-up';

/** The self-service side of accounts, one method per mutation. */
export interface SelfService {
  readonly signUp: SignUp;
  verifyEmail(token: string): Promise<true>;
  resendVerificationEmail(email: string, clientAddress: string | undefined): Promise<true>;
  requestPasswordReset(email: string, clientAddress: string | undefined): Promise<true>;
  resetPassword(token: string, newPassword: string): Promise<true>;
  readonly changeEmail: EmailChange;
  readonly inviteUser: InviteUser;
}

export interface SelfServiceDeps {
  readonly config: AccountsConfig;
  readonly users: UserStore;
  readonly accounts: AccountService;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly throttle: MailThrottle;
  readonly passwords: PasswordHasher;
  readonly sessions: SessionRevoker;
}

export function createSelfService(deps: SelfServiceDeps): SelfService {
  const { config, users, accounts, tokens, mailer, throttle, passwords, sessions } = deps;
  const { verifyEmailMs, passwordResetMs, invitationMs } = config.tokenLifetimes;
  const verification = createEmailVerification({ users, tokens, mailer, throttle, lifetimeMs: verifyEmailMs });
  const passwordReset = createPasswordReset({ users, tokens, mailer, throttle, passwords, sessions, lifetimeMs: passwordResetMs });
  return {
    signUp: createSignUp({ policy: config.signUpPolicy, users, accounts, tokens, mailer, throttle, passwords, verification }),
    verifyEmail: (token) => verification.verify(token),
    resendVerificationEmail: (email, clientAddress) => verification.resend(email, clientAddress),
    requestPasswordReset: (email, clientAddress) => passwordReset.request(email, clientAddress),
    resetPassword: (token, newPassword) => passwordReset.reset(token, newPassword),
    changeEmail: createEmailChange({ users, tokens, mailer, throttle, accounts, lifetimeMs: verifyEmailMs }),
    inviteUser: createInviteUser({
      policy: config.signUpPolicy,
      users,
      tokens,
      mailer,
      lifetimeMs: invitationMs,
      checkAuthorities: (authorities) => accounts.checkAuthorities(authorities),
    }),
  };
}
