/** What the service mails, by purpose: the log names the purpose, never the content. */
export type MailKind = 'verify-email' | 'signup-attempt' | 'password-reset' | 'invitation' | 'email-change' | 'second-factor-change';

/** One mail, rendered: both bodies carry the same text (a link with a token, usually). */
export interface MailMessage {
  readonly kind: MailKind;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** `ada@example.com` → `a***@example.com`: enough to tell mails apart in a log, not to collect addresses. */
export function maskedAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}
