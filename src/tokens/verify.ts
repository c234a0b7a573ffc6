import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors';
import type { AccessTokenClaims, TokenAudience } from './claims';
import type { KeyRing } from './key-ring';

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8_192;

/**
 * Verifies signature, algorithm, `iss`, `aud`, `exp` and `nbf`, then the shape of
 * this service's claims. Every failure is the same UnauthenticatedError: the client
 * learns that the token is unusable, not why.
 */
export function verifyAccessToken(
  ring: KeyRing,
  audience: TokenAudience,
  token: string,
  nowMs: number,
): AccessTokenClaims {
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('too long');
  const decoded = decodeUnverified(token);
  if (!decoded || typeof decoded.payload === 'string') throw invalidToken('malformed');
  const kid = decoded.header.kid;
  const key = typeof kid === 'string' ? ring.find(kid) : undefined;
  if (!key) throw invalidToken('unknown key');
  if (decoded.header.alg !== key.algorithm) throw invalidToken('algorithm mismatch');
  if (decoded.header.crit !== undefined) throw invalidToken('unsupported critical header');

  let payload: unknown;
  try {
    payload = jwt.verify(token, key.verificationKey, {
      algorithms: [key.algorithm],
      issuer: audience.issuer,
      audience: audience.audience,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (error) {
    throw invalidToken(error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid', error);
  }
  if (!isAccessTokenClaims(payload)) throw invalidToken('missing claims');
  return payload;
}

/** Reads the header before verification to pick the key; a payload that is not JSON makes jws throw. */
function decodeUnverified(token: string): jwt.Jwt | null {
  try {
    return jwt.decode(token, { complete: true });
  } catch (error) {
    throw invalidToken('malformed', error);
  }
}

function isAccessTokenClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  return (
    isNonEmptyString(claims.sub) &&
    isNonEmptyString(claims.sid) &&
    isNonEmptyString(claims.jti) &&
    typeof claims.iat === 'number' &&
    typeof claims.exp === 'number' &&
    Array.isArray(claims.auth) &&
    claims.auth.every((authority) => typeof authority === 'string')
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function invalidToken(reason: string, cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError('Invalid or expired token', { reason, cause });
}
