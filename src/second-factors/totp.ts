import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 codes as every authenticator app reads them from a QR code: SHA-1, six
 * digits, 30-second steps. A code of the step before or after the current one is
 * accepted too (clocks drift); which step matched is returned, so the caller can
 * refuse a code of a step already used.
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** 160 bits: RFC 4226's recommended length for an HMAC-SHA-1 key. */
const SECRET_BYTES = 20;
/** Steps accepted either side of the current one. */
const DRIFT_STEPS = 1;

const CODE_SHAPE = /^\d{6}$/;

/** A new secret in base32, as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/...` URL a QR code carries: the app shows `issuer` and `accountName`. */
export function totpUrl(secretBase32: string, issuer: string, accountName: string): string {
  return totpOf(secretBase32, issuer, accountName).toString();
}

/** Whether the text has a TOTP code's shape, spaces aside: six digits. */
export function isTotpShaped(code: string): boolean {
  return CODE_SHAPE.test(code.replace(/\s+/g, ''));
}

/** The step (counter) whose code this is, within the drift allowed around `nowMs`; undefined when none. */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!CODE_SHAPE.test(token)) return undefined;
  const totp = totpOf(secretBase32, '', '');
  const delta = totp.validate({ token, timestamp: nowMs, window: DRIFT_STEPS });
  return delta === null ? undefined : totp.counter({ timestamp: nowMs }) + delta;
}

function totpOf(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}
