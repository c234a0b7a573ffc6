import { ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import type { MailKind } from '../mail/mail-message';
import { describeLifetime, type MailTemplates } from '../mail/mail-templates';
import type { Outbox } from '../mail/outbox';
import type { AccountsConfig } from './accounts-config';

/** Where each mailed link leads in the application (APP_URL), with the token as `?token=`. */
export const LINK_PATHS = {
  verifyEmail: '/verify-email',
  resetPassword: '/reset-password',
  acceptInvitation: '/accept-invitation',
  forgotPassword: '/forgot-password',
} as const;

export interface AccountMailer {
  /** Refuses at once when this server sends no mail, before anything is counted or stored. */
  requireMail(): void;
  verifyEmail(to: string, username: string, token: string): void;
  /** The address in a new account's sign-up already has one: its owner hears of it, the caller learns nothing. */
  signUpAttempt(to: string, username: string): void;
  passwordReset(to: string, username: string, token: string): void;
  invitation(to: string, token: string): void;
  emailChange(to: string, username: string, token: string): void;
  /** Whether mail leaves this server at all: notices are sent when it does, and skipped quietly when not. */
  readonly sendsMail: boolean;
  /** A second factor was added or removed: its owner hears of it, with what to do if it was not them. */
  secondFactorChanged(to: string, username: string, change: string): void;
}

/**
 * The mails of the account flows: rendered from the templates, linked to APP_URL, handed
 * to the outbox (which never makes a request wait). Without an outbox (production with no
 * SMTP_URL) every flow that mails is refused with FORBIDDEN and reason MAIL_NOT_CONFIGURED.
 */
export function createAccountMailer(templates: MailTemplates, outbox: Outbox | undefined, accounts: AccountsConfig): AccountMailer {
  const link = (path: string, token?: string) => `${accounts.appUrl}${path}${token === undefined ? '' : `?token=${token}`}`;
  const { verifyEmailMs, passwordResetMs, invitationMs } = accounts.tokenLifetimes;
  const post = (kind: MailKind, to: string, values: { username?: string; link: string; lifetimeMs?: number; change?: string }) => {
    const { lifetimeMs, ...rest } = values;
    outbox?.post(templates.render(kind, to, { email: to, ...rest, ...(lifetimeMs !== undefined && { expiresIn: describeLifetime(lifetimeMs) }) }));
  };
  return {
    requireMail() {
      if (!outbox) {
        throw new ForbiddenError('This server sends no mail; ask an administrator', { details: { reason: 'MAIL_NOT_CONFIGURED' } });
      }
    },
    verifyEmail: (to, username, token) => post('verify-email', to, { username, link: link(LINK_PATHS.verifyEmail, token), lifetimeMs: verifyEmailMs }),
    signUpAttempt: (to, username) => post('signup-attempt', to, { username, link: link(LINK_PATHS.forgotPassword) }),
    passwordReset: (to, username, token) => post('password-reset', to, { username, link: link(LINK_PATHS.resetPassword, token), lifetimeMs: passwordResetMs }),
    invitation: (to, token) => post('invitation', to, { link: link(LINK_PATHS.acceptInvitation, token), lifetimeMs: invitationMs }),
    emailChange: (to, username, token) => post('email-change', to, { username, link: link(LINK_PATHS.verifyEmail, token), lifetimeMs: verifyEmailMs }),
    sendsMail: outbox !== undefined,
    secondFactorChanged: (to, username, change) => post('second-factor-change', to, { username, change, link: link(LINK_PATHS.forgotPassword) }),
  };
}
