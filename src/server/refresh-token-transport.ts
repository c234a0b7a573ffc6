import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request, Response } from 'express';
import { BadUserInputError, UnauthenticatedError } from '../errors';

export const REFRESH_COOKIE_NAME = '__Secure-refresh-token';

/**
 * How the refresh token travels: in the response body (default), or, in SPA mode,
 * as an HttpOnly cookie that page scripts cannot read and only the GraphQL path receives.
 */
export interface RefreshTokenTransport {
  /** Hands the token to the client; returns what the body carries (null when it went in the cookie). */
  deliver(token: string, expiresAtMs: number): string | null;
  /** The token the client presented: the argument, else (in cookie mode) the cookie. */
  presented(argument: string | null): string;
  /** Tells the browser to drop the cookie (cookie mode only). */
  clear(): void;
}

export function bodyTransport(): RefreshTokenTransport {
  return {
    deliver: (token) => token,
    presented(argument) {
      if (!argument) throw new BadUserInputError('refreshToken is required', { details: { field: 'refreshToken' } });
      return argument;
    },
    clear: () => undefined,
  };
}

export function cookieTransport(req: Request, res: Response, path: string, nowMs: () => number): RefreshTokenTransport {
  const attributes = { httpOnly: true, secure: true, sameSite: 'strict', path } as const;
  return {
    deliver(token, expiresAtMs) {
      const maxAge = Math.max(0, Math.floor((expiresAtMs - nowMs()) / 1000));
      res.append('Set-Cookie', serializeCookie(REFRESH_COOKIE_NAME, token, { ...attributes, maxAge }));
      return null;
    },
    presented(argument) {
      const token = argument ?? parseCookies(req.headers.cookie ?? '')[REFRESH_COOKIE_NAME];
      if (!token) throw new UnauthenticatedError('No refresh token: log in again', { reason: 'no refresh cookie' });
      return token;
    },
    clear() {
      res.append('Set-Cookie', serializeCookie(REFRESH_COOKIE_NAME, '', { ...attributes, maxAge: 0 }));
    },
  };
}
