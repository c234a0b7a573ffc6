/**
 * Where mail goes: an SMTP server; the log (development without SMTP_URL); or nowhere
 * (production without SMTP_URL, where only administrators create accounts and no flow
 * that needs a mail is offered).
 */
export type MailTransportConfig = { readonly kind: 'smtp'; readonly url: string } | { readonly kind: 'log' } | { readonly kind: 'none' };

export interface MailConfig {
  readonly transport: MailTransportConfig;
  /** The From of every mail: an address, optionally with a display name (`Acme <no-reply@acme.example>`). */
  readonly from: string;
}
