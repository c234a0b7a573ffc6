import { UnauthenticatedError } from '../errors';
import type { AccessTokenClaims, TokenAudience } from './claims';
import type { RingKey, VerificationKeys } from './key-ring';
import { parseJws, type JwsParts } from './parse-jws';
import { SIGNATURE_ALGORITHMS } from './signature-algorithms';
import { verifyClaims } from './verify-claims';

export { MAX_TOKEN_LENGTH } from './parse-jws';

export interface VerifiedToken {
  readonly claims: AccessTokenClaims;
  /** The key whose signature it carries. */
  readonly key: RingKey;
}

/**
 * Verifies an access token in four stages, each reading what the one before produced:
 * parse once (parse-jws: length, compact form, canonical base64url, JSON objects that
 * name no member twice); the key by kid, whose pinned algorithm the header must name,
 * `crit` refused; the signature through the algorithm table; the claims once
 * (verify-claims). Every failure is the same UnauthenticatedError: the client learns
 * that the token is unusable, not why (`logReason` says why, for logs and metrics).
 */
export function verifyAccessToken(
  keys: VerificationKeys,
  audience: TokenAudience,
  token: string,
  nowMs: number,
): AccessTokenClaims {
  return verifyAccessTokenAndKey(keys, audience, token, nowMs).claims;
}

/** The same, also naming the key that verified it. */
export function verifyAccessTokenAndKey(
  keys: VerificationKeys,
  audience: TokenAudience,
  token: string,
  nowMs: number,
): VerifiedToken {
  return verifyParsedToken(keys, audience, parseAccessToken(token), nowMs);
}

/** The first stage alone, for a caller that must read the kid before the keys are at hand (a JWKS to fetch). */
export function parseAccessToken(token: string): JwsParts {
  const parsed = parseJws(token);
  if (!parsed.ok) throw invalidToken(parsed.reason);
  return parsed;
}

/** The stages after parsing. */
export function verifyParsedToken(
  keys: VerificationKeys,
  audience: TokenAudience,
  jws: JwsParts,
  nowMs: number,
): VerifiedToken {
  const key = pinnedKey(keys, jws.header);
  const verdict = SIGNATURE_ALGORITHMS[key.algorithm](jws.signingInput, jws.signature, key.verificationKey);
  if (verdict !== 'valid') throw invalidToken(verdict);
  const checked = verifyClaims(jws.payload, audience, Math.floor(nowMs / 1000));
  if (!checked.ok) throw invalidToken(checked.reason);
  return { claims: checked.claims, key };
}

/**
 * The key the header's kid names. The key decides the algorithm, never the token: no
 * `none`, no HS256 keyed with a public key. Keys and key URLs the header offers
 * (`jku`, `x5u`, `jwk`, `x5c`) are never read.
 */
function pinnedKey(keys: VerificationKeys, header: Readonly<Record<string, unknown>>): RingKey {
  const { kid, alg, crit } = header;
  const key = typeof kid === 'string' ? keys.find(kid) : undefined;
  if (!key) throw invalidToken('unknown key');
  if (alg !== key.algorithm) throw invalidToken('algorithm mismatch');
  if (crit !== undefined) throw invalidToken('unsupported critical header');
  return key;
}

function invalidToken(reason: string): UnauthenticatedError {
  return new UnauthenticatedError('Invalid or expired token', { logReason: reason });
}
