import type { AccountsConfig, SignUpPolicy } from '../accounts/accounts-config';
import type { MailConfig } from '../mail/mail-config';
import type { RuntimeEnvironment } from './config';
import type { EnvReader } from './env-reader';

const DEVELOPMENT_APP_URL = 'http://localhost:3000';
const DEVELOPMENT_MAIL_FROM = 'Auth service <no-reply@localhost>';
/** `Name <local@domain>` or `local@domain`: enough to catch a variable set to something else. */
const MAIL_FROM = /^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/;

/** SMTP_URL and MAIL_FROM. Without SMTP_URL, mail goes to the log outside production and nowhere in it. */
export function readMail(read: EnvReader, environment: RuntimeEnvironment): MailConfig {
  const url = read.raw('SMTP_URL');
  if (url !== undefined && !isSmtpUrl(url)) {
    read.fail('SMTP_URL must be smtp://[user:password@]host[:port] or smtps://... (credentials percent-encoded)');
  }
  const from = read.raw('MAIL_FROM');
  if (from !== undefined && !MAIL_FROM.test(from.trim())) read.fail(`MAIL_FROM=${JSON.stringify(from)}: expected an address, such as "Acme <no-reply@acme.example>"`);
  if (url !== undefined && from === undefined && environment === 'production') read.fail('MAIL_FROM is required with SMTP_URL in production: the address mails come from');
  return {
    transport: url !== undefined ? { kind: 'smtp', url } : environment === 'production' ? { kind: 'none' } : { kind: 'log' },
    from: from?.trim() ?? DEVELOPMENT_MAIL_FROM,
  };
}

/**
 * SIGNUP_POLICY, REQUIRE_VERIFIED_EMAIL, APP_URL and the lifetimes of the mailed tokens.
 * In production a policy other than `closed` needs mail (SMTP_URL) and APP_URL on https.
 */
export function readAccounts(read: EnvReader, environment: RuntimeEnvironment, mail: MailConfig): AccountsConfig {
  const signUpPolicy = read.oneOf<SignUpPolicy>('SIGNUP_POLICY', ['closed', 'invite', 'open'], 'closed');
  if (environment === 'production' && signUpPolicy !== 'closed' && mail.transport.kind !== 'smtp') {
    read.fail(`SIGNUP_POLICY=${signUpPolicy} needs SMTP_URL in production: sign-up mails a verification link (or invitation)`);
  }
  const appUrl = read.raw('APP_URL');
  if (appUrl === undefined && environment === 'production' && mail.transport.kind === 'smtp') {
    read.fail('APP_URL is required with SMTP_URL in production: the address of the application the mails link to');
  }
  if (appUrl !== undefined) checkAppUrl(read, appUrl, environment);
  return {
    signUpPolicy,
    requireVerifiedEmail: read.boolean('REQUIRE_VERIFIED_EMAIL', true),
    appUrl: (appUrl ?? DEVELOPMENT_APP_URL).replace(/\/+$/, ''),
    tokenLifetimes: {
      verifyEmailMs: read.duration('EMAIL_VERIFICATION_TTL', '24h', 60_000),
      passwordResetMs: read.duration('PASSWORD_RESET_TTL', '30m', 60_000),
      invitationMs: read.duration('INVITATION_TTL', '7d', 60_000),
    },
  };
}

function isSmtpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function checkAppUrl(read: EnvReader, text: string, environment: RuntimeEnvironment): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    read.fail(`APP_URL=${JSON.stringify(text)}: expected an http(s) URL such as https://app.example`);
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') read.fail('APP_URL must be an http(s) URL');
  else if (environment === 'production' && url.protocol !== 'https:') read.fail('APP_URL must be https in production: its links carry tokens');
  if (url.search !== '' || url.hash !== '') read.fail('APP_URL must have no query or fragment: the mails add their own');
}
