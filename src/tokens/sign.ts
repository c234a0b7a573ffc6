import { randomBytes } from 'node:crypto';
import type { AccessTokenClaims, TokenAudience } from '@graphql-auth-service/subgraph/tokens/claims';
import type { KeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signJws } from './sign-jws';

export interface AccessTokenRequest {
  readonly userId: string;
  readonly sessionId: string;
  readonly authorities: readonly string[];
  /** How the session signed in (RFC 8176); the claim is left out without it. */
  readonly amr?: readonly string[];
  /** When the session signed in; the claim is left out without it. */
  readonly authenticatedAtMs?: number;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

export interface SignedAccessToken {
  readonly token: string;
  readonly claims: AccessTokenClaims;
}

/** Signs with the ring's active key and its algorithm; `kid` in the header names it for verification. */
export function signAccessToken(ring: KeyRing, audience: TokenAudience, request: AccessTokenRequest): SignedAccessToken {
  const claims: AccessTokenClaims = {
    iss: audience.issuer,
    aud: audience.audience,
    sub: request.userId,
    sid: request.sessionId,
    jti: randomBytes(16).toString('base64url'),
    iat: Math.floor(request.issuedAtMs / 1000),
    exp: Math.floor(request.expiresAtMs / 1000),
    auth: [...request.authorities],
    ...(request.amr && { amr: [...request.amr] }),
    ...(request.authenticatedAtMs !== undefined && { auth_time: Math.floor(request.authenticatedAtMs / 1000) }),
  };
  return { token: signJws(ring.active, claims), claims };
}
