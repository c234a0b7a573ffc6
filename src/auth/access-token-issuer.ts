import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { TokenAudience } from '@graphql-auth-service/subgraph/tokens/claims';
import type { KeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signAccessToken } from '../tokens/sign';

export interface AccessTokenIssuerDeps {
  readonly keyRing: KeyRing;
  readonly audience: TokenAudience;
  readonly accessTokenTtlMs: number;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** An access token for a session, never outliving it. Shared by login and refresh. */
export type AccessTokenIssuer = (
  session: SessionRecord,
  authorities: readonly string[],
  nowMs: number,
) => IssuedAccessToken;

export function createAccessTokenIssuer({ keyRing, audience, accessTokenTtlMs }: AccessTokenIssuerDeps): AccessTokenIssuer {
  return (session, authorities, nowMs) => {
    const expiresAtMs = Math.min(nowMs + accessTokenTtlMs, session.expiresAt);
    const { token } = signAccessToken(keyRing, audience, {
      userId: session.userId,
      sessionId: session.id,
      authorities,
      amr: session.amr ?? [],
      authenticatedAtMs: session.createdAt,
      issuedAtMs: nowMs,
      expiresAtMs,
    });
    return { accessToken: token, expiresInSeconds: Math.floor((expiresAtMs - nowMs) / 1000) };
  };
}
