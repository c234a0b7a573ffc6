import type { AccessTokenClaims, TokenAudience } from './claims';
import type { VerificationKeys } from './key-ring';
import { verifyAccessTokenAndKey } from './verify';

export type TokenVerifier = (ring: VerificationKeys, audience: TokenAudience, token: string, nowMs: number) => AccessTokenClaims;

interface Verified {
  readonly claims: AccessTokenClaims;
  readonly kid: string;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Remembers tokens that verified, so a client's next requests skip the signature
 * and parsing (a client sends one token many times). Only what could change is
 * checked again: the token must not have expired, and its key must still be known
 * (a subgraph's JWKS can drop one). Failures are never remembered, so garbage
 * cannot fill it; the oldest entries go first past `maxEntries`. The session check
 * still runs on every request: revocation is not cached.
 */
export function createVerifiedTokenCache(maxEntries = DEFAULT_MAX_ENTRIES): TokenVerifier {
  const verified = new Map<string, Verified>();
  return (ring, audience, token, nowMs) => {
    const known = verified.get(token);
    if (known) {
      if (Math.floor(nowMs / 1000) < known.claims.exp && ring.find(known.kid)) return known.claims;
      verified.delete(token);
    }
    const fresh = verifyAccessTokenAndKey(ring, audience, token, nowMs);
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(token, fresh);
    return fresh.claims;
  };
}
