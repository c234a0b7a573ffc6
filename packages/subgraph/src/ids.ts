import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7: time-ordered, so the user index lists users oldest first and
 * pagination cursors stay stable without a second sort key.
 */
export function newUserId(nowMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Ids reach Redis key names, so anything not of our own shape is refused early. */
export function isUserId(value: string): boolean {
  return USER_ID_PATTERN.test(value);
}

export function isSessionId(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}
