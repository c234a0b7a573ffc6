import { createHash, randomBytes } from 'node:crypto';

/**
 * What a token lets its holder do; each purpose is its own namespace. Besides the
 * mailed links, a passkey registration's challenge is one: random, single use, short-lived.
 */
export type AccountTokenPurpose = 'verify-email' | 'password-reset' | 'invitation' | 'email-change' | 'passkey-registration';

const TOKEN_BYTES = 32;
/** 32 bytes in base64url: the only shape a token of ours has. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, URL-safe as it is: it travels in a link. */
export function newAccountToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * What the store keeps instead of the token: its SHA-256. A token is random and
 * single use, so a plain digest is enough; whoever reads the store cannot use it.
 */
export function accountTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A string that cannot be one of our tokens is refused before the store is asked. */
export function isAccountTokenShaped(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}
