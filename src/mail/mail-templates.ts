import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import type { MailKind, MailMessage } from './mail-message';

export const MAIL_KINDS: readonly MailKind[] = ['verify-email', 'signup-attempt', 'password-reset', 'invitation', 'email-change', 'second-factor-change'];

/** What a mail says: `link` carries the token; `username` is absent in an invitation. */
export interface MailValues {
  readonly email: string;
  readonly link: string;
  readonly expiresIn?: string;
  readonly username?: string;
  /** What happened to the account, in a sentence (a security notice). */
  readonly change?: string;
}

export interface MailTemplates {
  render(kind: MailKind, to: string, values: MailValues): MailMessage;
}

interface Template {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const SUBJECT_LINE = /^Subject: (.+)\r?\n\r?\n/;
/** Plain text is not HTML: nothing in it is escaped. */
const AS_IS = { escape: (value: unknown) => String(value) };
const HTML_SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** HTML's five special characters only: Mustache's default also encodes `/` and `=`, which would garble links for some mail clients. */
const HTML = { escape: (value: unknown) => String(value).replace(/[&<>"']/g, (character) => HTML_SPECIAL[character]) };

/**
 * The mails, from files beside this module (`<kind>.txt` starting with a `Subject:` line,
 * and `<kind>.html`), so wording changes without code. Read and parsed once, at start-up:
 * a missing or malformed file stops the start, not a request. Values are HTML-escaped in
 * the HTML body only.
 */
export function loadMailTemplates(dir = join(__dirname, 'templates')): MailTemplates {
  const templates = new Map<MailKind, Template>();
  for (const kind of MAIL_KINDS) {
    const textFile = readFileSync(join(dir, `${kind}.txt`), 'utf8');
    const subject = SUBJECT_LINE.exec(textFile);
    if (!subject) throw new Error(`mail template ${kind}.txt must start with a "Subject: ..." line and a blank line`);
    const template = { subject: subject[1], text: textFile.slice(subject[0].length), html: readFileSync(join(dir, `${kind}.html`), 'utf8') };
    for (const part of Object.values(template)) Mustache.parse(part);
    templates.set(kind, template);
  }
  return {
    render(kind, to, values) {
      const template = templates.get(kind) as Template;
      return {
        kind,
        to,
        subject: Mustache.render(template.subject, values, {}, AS_IS),
        text: Mustache.render(template.text, values, {}, AS_IS),
        html: Mustache.render(template.html, values, {}, HTML),
      };
    },
  };
}

/** 86,400,000 → "24 hours", 1,800,000 → "30 minutes", 604,800,000 → "7 days". */
export function describeLifetime(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  // The largest unit that divides it exactly, except whole days under two (24 hours reads better than 1 day).
  for (const [unit, size] of units) {
    const count = ms / size;
    if (Number.isInteger(count) && count >= 1 && !(unit === 'day' && count < 2)) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}
