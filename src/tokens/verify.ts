import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors';
import type { AccessTokenClaims, TokenAudience } from './claims';
import { verifyEdDsaJws } from './eddsa-jws';
import type { RingKey, VerificationKeys } from './key-ring';
import { issuedInTheFuture, registeredClaimsProblem } from './registered-claims';
import { readUnverifiedJws } from './unverified-jws';

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8_192;

/**
 * Verifies that no header or claim is named twice, then signature, algorithm, `iss`,
 * `aud`, `exp` and `nbf`, then the shape of this service's claims and an `iat` not
 * in the future. Every failure is the same UnauthenticatedError: the client
 * learns that the token is unusable, not why.
 */
export function verifyAccessToken(
  ring: VerificationKeys,
  audience: TokenAudience,
  token: string,
  nowMs: number,
): AccessTokenClaims {
  return verifyAccessTokenAndKey(ring, audience, token, nowMs).claims;
}

/** The same, also naming the key that verified it. */
export function verifyAccessTokenAndKey(
  ring: VerificationKeys,
  audience: TokenAudience,
  token: string,
  nowMs: number,
): { readonly claims: AccessTokenClaims; readonly kid: string } {
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('too long');
  const unverified = readUnverifiedJws(token);
  if (!unverified.ok) throw invalidToken(unverified.reason);
  const { kid, alg, crit } = unverified.header;
  const key = typeof kid === 'string' ? ring.find(kid) : undefined;
  if (!key) throw invalidToken('unknown key');
  // The key decides the algorithm, never the token: no `none`, no HS256 keyed with a public key.
  if (alg !== key.algorithm) throw invalidToken('algorithm mismatch');
  if (crit !== undefined) throw invalidToken('unsupported critical header');

  const nowSeconds = Math.floor(nowMs / 1000);
  const payload = verifySignatureAndRegisteredClaims(key, audience, token, nowSeconds);
  if (!isAccessTokenClaims(payload)) throw invalidToken('missing claims');
  if (issuedInTheFuture(payload.iat, nowSeconds)) throw invalidToken('issued in the future');
  return { claims: payload, kid: key.kid };
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

function isAccessTokenClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  return (
    isNonEmptyString(claims.sub) &&
    isNonEmptyString(claims.sid) &&
    isNonEmptyString(claims.jti) &&
    // JSON.parse reads 1e999 as Infinity: a token that never expires, or issued before all time.
    Number.isFinite(claims.iat) &&
    Number.isFinite(claims.exp) &&
    Array.isArray(claims.auth) &&
    claims.auth.every((authority) => typeof authority === 'string')
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function invalidToken(reason: string, cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError('Invalid or expired token', { logReason: reason, cause });
}
