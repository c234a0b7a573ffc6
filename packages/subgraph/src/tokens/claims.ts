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
  /**
   * How the session's user signed in (RFC 8176 values, see auth/amr.ts); kept by refresh.
   * Absent from tokens of older versions: such a session counts as password only.
   */
  readonly amr?: readonly string[];
  /** When the user signed in to this session (OpenID Connect's `auth_time`, seconds); kept by refresh. */
  readonly auth_time?: number;
}

export interface TokenAudience {
  readonly issuer: string;
  readonly audience: string;
}
