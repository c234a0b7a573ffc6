import type { TokenAudience } from './claims';

/**
 * The registered-claim checks jsonwebtoken's `verify` makes, for the one algorithm
 * (EdDSA) that does not go through it: `nbf` not in the future, `exp` present and not
 * reached (a token is dead from its `exp` second on), `iss` and `aud` as configured.
 * The tests hold both paths to the same cases.
 */
export function registeredClaimsProblem(
  payload: Readonly<Record<string, unknown>>,
  audience: TokenAudience,
  nowSeconds: number,
): 'expired' | 'invalid' | undefined {
  const { nbf, exp, iss, aud } = payload;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) return 'invalid';
  if (typeof exp !== 'number') return 'invalid';
  if (nowSeconds >= exp) return 'expired';
  if (iss !== audience.issuer) return 'invalid';
  const audiences: readonly unknown[] = Array.isArray(aud) ? aud : [aud];
  return audiences.includes(audience.audience) ? undefined : 'invalid';
}
