import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { MailMessage } from './mail-message';

/** Sends one mail or fails; the outbox decides what a failure means. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface SmtpTransportOptions {
  /** `smtp://` or `smtps://`, with `user:password@` when the server wants a login. */
  readonly url: string;
  readonly from: string;
  /** Bound of each stage of one attempt (connect, greeting, every socket read). */
  readonly timeoutMs: number;
}

/**
 * nodemailer over SMTP. One connection per mail (no pool): mails are rare, and a pooled
 * connection the server dropped while idle would fail the next mail's first attempt.
 */
export function createSmtpTransport({ url, from, timeoutMs }: SmtpTransportOptions): MailTransport {
  const transporter = nodemailer.createTransport(
    { url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs },
    { from },
  );
  return {
    async send({ to, subject, text, html }) {
      await transporter.sendMail({ to, subject, text, html });
    },
    close: () => transporter.close(),
  };
}

/**
 * Development without SMTP_URL: each mail is written to the log, whole, under a banner
 * line, so its link can be followed. Never used in production, where mail must leave.
 */
export function createLogTransport(logger: Logger): MailTransport {
  return {
    async send({ kind, to, subject, text }) {
      logger.info({ kind, to, subject }, `=== MAIL NOT SENT (no SMTP_URL; development): ${subject} ===\n${text}`);
    },
    close: () => undefined,
  };
}
