import type { Logger } from 'pino';
import { type AccountMailer, createAccountMailer } from '../accounts/account-mailer';
import type { AppConfig } from '../config/config';
import { loadMailTemplates } from '../mail/mail-templates';
import { createLogTransport, createSmtpTransport, type MailTransport } from '../mail/mail-transport';
import { createOutbox, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../mail/outbox';

/** Each stage of an SMTP attempt (connect, greeting, every reply): a slow server costs retries, never a request. */
const SMTP_STAGE_TIMEOUT_MS = 10_000;

export interface AccountMail {
  readonly mailer: AccountMailer;
  /** Lets attempts under way finish; what waits for a retry is logged as unsent. Resolves to how many mails were never sent. */
  close(): Promise<number>;
}

/** The account flows' mail, as MAIL_* and SMTP_URL say: over SMTP, to the log (development), or none. */
export function createAccountMail(config: Pick<AppConfig, 'mail' | 'accounts'>, logger: Logger, retry: RetryPolicy = DEFAULT_RETRY_POLICY): AccountMail {
  const templates = loadMailTemplates();
  const transport = transportOf(config.mail, logger);
  const mail = transport && createOutbox(transport, logger, retry);
  return { mailer: createAccountMailer(templates, mail, config.accounts), close: async () => (mail ? mail.close() : 0) };
}

function transportOf({ transport, from }: AppConfig['mail'], logger: Logger): MailTransport | undefined {
  if (transport.kind === 'smtp') return createSmtpTransport({ url: transport.url, from, timeoutMs: SMTP_STAGE_TIMEOUT_MS });
  if (transport.kind === 'log') return createLogTransport(logger);
  return undefined;
}
