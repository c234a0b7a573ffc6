import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';

const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

/** Spaces, line breaks, control characters, and invisible format characters (bidirectional overrides, zero-width joiners). */
const UNSEEN = /[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}]/u;
/**
 * Letters, combining marks (scripts such as Devanagari need them) and digits, with
 * hyphens inside: a label as typed, internationalised or not, before any Punycode.
 */
const LABEL = /^[\p{L}\p{Nd}](?:[\p{L}\p{M}\p{Nd}-]*[\p{L}\p{M}\p{Nd}])?$/u;

type EmailRefusal = 'unseen' | 'length' | 'at' | 'local' | 'domain';

const MESSAGES: Readonly<Record<EmailRefusal, string>> = {
  unseen: 'Email address must not contain spaces, line breaks or control characters',
  length: `Email address must be at most ${MAX_EMAIL_LENGTH} characters`,
  at: 'Email address must contain exactly one @',
  local: `Email address must have 1 to ${MAX_LOCAL_PART_LENGTH} characters before the @`,
  domain:
    'Email address must end in a domain of at least two dot-separated labels of letters, digits and hyphens, ' +
    `each 1 to ${MAX_LABEL_LENGTH} characters and neither starting nor ending with a hyphen`,
};

/**
 * The one spelling an address is stored, indexed and looked up under: trimmed, Unicode
 * NFC, and lower case as a whole, local part included. RFC 5321 lets a mail server
 * treat `Alice@` and `alice@` as different mailboxes, but no mail service in use does,
 * and every comparable service compares addresses case-insensitively: were case kept,
 * `Alice@example.org` could hold a second account beside `alice@example.org`, and a
 * password reset typed in another case would find nothing.
 *
 * Refuses (BAD_USER_INPUT, `field: "email"`) what cannot be an address: over 254
 * characters, not exactly one `@`, a local part empty or over 64 characters, spaces or
 * control or invisible characters anywhere, or a domain that is not two or more labels
 * of letters, digits and inner hyphens (1 to 63 characters each). Internationalised
 * domains are kept as typed, not converted to Punycode. Lengths count code points.
 */
export function normalizeEmail(input: string): string {
  // Lower case before NFC, so the result is NFC whatever lower-casing decomposes.
  const email = input.trim().toLowerCase().normalize('NFC');
  if (UNSEEN.test(email)) throw refusal('unseen');
  if (lengthOf(email) > MAX_EMAIL_LENGTH) throw refusal('length');
  const parts = email.split('@');
  if (parts.length !== 2) throw refusal('at');
  const [local, domain] = parts;
  if (local === '' || lengthOf(local) > MAX_LOCAL_PART_LENGTH) throw refusal('local');
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => lengthOf(label) <= MAX_LABEL_LENGTH && LABEL.test(label))) {
    throw refusal('domain');
  }
  return email;
}

function lengthOf(text: string): number {
  return [...text].length;
}

function refusal(reason: EmailRefusal): BadUserInputError {
  return new BadUserInputError(MESSAGES[reason], { details: { field: 'email' }, logReason: `email ${reason}` });
}
