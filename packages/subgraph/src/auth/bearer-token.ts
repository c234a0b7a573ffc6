const BEARER = /^Bearer ([A-Za-z0-9\-_=.+/]+)$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other shape. */
export function bearerTokenOf(authorization: string): string | undefined {
  return BEARER.exec(authorization.trim())?.[1];
}
