import type { AccessTokenClaims, TokenAudience } from './claims';
import type { RingKey, VerificationKeys } from './key-ring';
import { parseAccessToken, verifyParsedToken, type VerifiedToken } from './verify';

export type TokenVerifier = (
  keys: VerificationKeys,
  audience: TokenAudience,
  token: string,
  nowMs: number,
) => Promise<AccessTokenClaims>;

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Verifies access tokens and remembers those that verified, so a client's next
 * requests skip parsing and the signature (a client sends one token many times).
 * Only what could change is checked again: the token must not have expired, and
 * the key that verified it must still be the one its kid names (a subgraph's JWKS
 * can drop or replace one). Failures are never remembered, so garbage cannot fill
 * it; the oldest entries go first past `maxEntries`. The session check still runs
 * on every request: revocation is not cached.
 *
 * Keys that load asynchronously (`resolve`, a JWKS) are resolved by the token's kid
 * before `find`, hit or miss, so a stale key set fails closed for remembered tokens
 * too; on a miss the token is parsed once, and the parse serves the kid and every
 * later stage.
 */
export function createVerifiedTokenCache(maxEntries = DEFAULT_MAX_ENTRIES): TokenVerifier {
  const verified = new Map<string, VerifiedToken>();
  return async (keys, audience, token, nowMs) => {
    const known = verified.get(token);
    if (known) {
      const live = Math.floor(nowMs / 1000) < known.claims.exp;
      if (live && (await currentKey(keys, known.key.kid)) === known.key) return known.claims;
      verified.delete(token);
    }
    const jws = parseAccessToken(token);
    const { kid } = jws.header;
    if (keys.resolve !== undefined && typeof kid === 'string') await keys.resolve(kid);
    const fresh = verifyParsedToken(keys, audience, jws, nowMs);
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(token, fresh);
    return fresh.claims;
  };
}

async function currentKey(keys: VerificationKeys, kid: string): Promise<RingKey | undefined> {
  if (keys.resolve !== undefined) await keys.resolve(kid);
  return keys.find(kid);
}
