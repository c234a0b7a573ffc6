import type { RuntimeEnvironment } from '../../src/config/config';
import { EnvReader } from '../../src/config/env-reader';
import { readAccounts, readMail } from '../../src/config/read-accounts';

type Env = Record<string, string | undefined>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The mail and accounts settings of this environment, with every problem reported. */
function read(environment: RuntimeEnvironment, env: Env) {
  const reader = new EnvReader(env);
  const mail = readMail(reader, environment);
  const accounts = readAccounts(reader, environment, mail);
  return { mail, accounts, problems: reader.problems };
}

const smtp = { SMTP_URL: 'smtps://mailer:p%40ss@smtp.example:465', MAIL_FROM: 'Acme <no-reply@acme.example>', APP_URL: 'https://app.example/' };

describe('mail and self-service account settings', () => {
  it('keeps sign-up closed, requires verified addresses, and sends mail to the log outside production by default', () => {
    const { mail, accounts, problems } = read('development', {});
    expect(problems).toEqual([]);
    expect(accounts).toEqual({
      signUpPolicy: 'closed',
      requireVerifiedEmail: true,
      appUrl: 'http://localhost:3000',
      tokenLifetimes: { verifyEmailMs: DAY, passwordResetMs: 30 * MINUTE, invitationMs: 7 * DAY },
    });
    expect(mail.transport).toEqual({ kind: 'log' });
  });

  it('sends no mail at all in production without SMTP_URL', () => {
    const { mail, problems } = read('production', {});
    expect(problems).toEqual([]);
    expect(mail.transport).toEqual({ kind: 'none' });
  });

  it('reads SMTP_URL, MAIL_FROM, APP_URL (without its trailing slash), the policy and the lifetimes', () => {
    const { mail, accounts, problems } = read('production', { ...smtp, SIGNUP_POLICY: 'invite', REQUIRE_VERIFIED_EMAIL: 'false', PASSWORD_RESET_TTL: '15m' });
    expect(problems).toEqual([]);
    expect(mail).toEqual({ transport: { kind: 'smtp', url: smtp.SMTP_URL }, from: 'Acme <no-reply@acme.example>' });
    expect(accounts).toMatchObject({ signUpPolicy: 'invite', requireVerifiedEmail: false, appUrl: 'https://app.example' });
    expect(accounts.tokenLifetimes.passwordResetMs).toBe(15 * MINUTE);
  });

  it('refuses a production sign-up policy other than closed without SMTP_URL, naming the setting', () => {
    for (const policy of ['invite', 'open']) {
      expect(read('production', { SIGNUP_POLICY: policy }).problems).toEqual([
        `SIGNUP_POLICY=${policy} needs SMTP_URL in production: sign-up mails a verification link (or invitation)`,
      ]);
    }
  });

  it('refuses bad mail settings and a production APP_URL that is not https', () => {
    const { problems } = read('production', {
      SMTP_URL: 'http://smtp.example',
      MAIL_FROM: 'not an address',
      APP_URL: 'http://app.example/?next=1',
      SIGNUP_POLICY: 'anyone',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SMTP_URL must be smtp:\/\//),
        expect.stringMatching(/^MAIL_FROM="not an address": expected an address/),
        'APP_URL must be https in production: its links carry tokens',
        'APP_URL must have no query or fragment: the mails add their own',
        expect.stringMatching(/^SIGNUP_POLICY="anyone"/),
      ]),
    );
    expect(read('production', { SMTP_URL: smtp.SMTP_URL }).problems).toEqual([
      'MAIL_FROM is required with SMTP_URL in production: the address mails come from',
      'APP_URL is required with SMTP_URL in production: the address of the application the mails link to',
    ]);
  });
});
