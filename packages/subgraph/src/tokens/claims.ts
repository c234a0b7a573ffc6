/** The claims this service puts in every access token (docs/api.md, "The token model"). */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly aud: string;
  /** User id. */
  readonly sub: string;
  /** Session id. */
  readonly sid: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  /** Authorities at the time of issue. */
  readonly auth: readonly string[];
}

export interface TokenAudience {
  readonly issuer: string;
  readonly audience: string;
}
