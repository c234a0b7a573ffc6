import { createHash, randomBytes } from 'node:crypto';
import { isSessionId, isUserId } from '@graphql-auth-service/subgraph/ids';

const PREFIX = 'rt1';

export interface IssuedRefreshToken {
  /** Given to the client once; never stored. */
  readonly token: string;
  /** What the session record keeps. */
  readonly hash: string;
}

export interface PresentedRefreshToken {
  readonly userId: string;
  readonly sessionId: string;
  readonly hash: string;
}

/**
 * An opaque refresh token: `rt1.<userId>.<sessionId>.<secret>`. The ids only route it
 * to the session's slot; the 256-bit secret is what proves possession, and only
 * (a 128-bit prefix of) its SHA-256 is stored.
 */
export function issueRefreshToken(userId: string, sessionId: string): IssuedRefreshToken {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${PREFIX}.${userId}.${sessionId}.${secret}`, hash: hashSecret(secret) };
}

export function parseRefreshToken(token: string): PresentedRefreshToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
  const [, userId, sessionId, secret] = parts;
  if (!isUserId(userId) || !isSessionId(sessionId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { userId, sessionId, hash: hashSecret(secret) };
}

/** 128 bits of SHA-256: preimage-resistant far beyond need for a 256-bit random secret, and half the bytes in Redis. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest().subarray(0, 16).toString('base64url');
}
