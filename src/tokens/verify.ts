import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors';
import type { AccessTokenClaims, TokenAudience } from './claims';
import { verifyEdDsaJws } from './eddsa-jws';
import type { RingKey, VerificationKeys } from './key-ring';
import { registeredClaimsProblem } from './registered-claims';

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8_192;

/**
 * Verifies signature, algorithm, `iss`, `aud`, `exp` and `nbf`, then the shape of
 * this service's claims. Every failure is the same UnauthenticatedError: the client
 * learns that the token is unusable, not why.
 */
export function verifyAccessToken(
  ring: VerificationKeys,
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
  // The key decides the algorithm, never the token: no `none`, no HS256 keyed with a public key.
  if (decoded.header.alg !== key.algorithm) throw invalidToken('algorithm mismatch');
  if (decoded.header.crit !== undefined) throw invalidToken('unsupported critical header');

  const payload = verifySignatureAndRegisteredClaims(key, audience, token, Math.floor(nowMs / 1000));
  if (!isAccessTokenClaims(payload)) throw invalidToken('missing claims');
  return payload;
}

/** jsonwebtoken with the one pinned algorithm; EdDSA, which jsonwebtoken 9 lacks, on node:crypto. */
function verifySignatureAndRegisteredClaims(
  key: RingKey,
  audience: TokenAudience,
  token: string,
  nowSeconds: number,
): unknown {
  if (key.algorithm === 'EdDSA') {
    const result = verifyEdDsaJws(token, key.verificationKey);
    if (!result.valid) throw invalidToken(result.reason === 'malformed' ? 'malformed' : 'invalid');
    const problem = registeredClaimsProblem(result.payload, audience, nowSeconds);
    if (problem !== undefined) throw invalidToken(problem);
    return result.payload;
  }
  try {
    return jwt.verify(token, key.verificationKey, {
      algorithms: [key.algorithm],
      issuer: audience.issuer,
      audience: audience.audience,
      clockTimestamp: nowSeconds,
    });
  } catch (error) {
    throw invalidToken(error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid', error);
  }
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
