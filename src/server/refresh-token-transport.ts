import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request, Response } from 'express';
import { BadUserInputError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { RefreshTokenTransport } from '../graphql/context';

export const REFRESH_COOKIE_NAME = '__Secure-refresh-token';

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
      if (!token) throw new UnauthenticatedError('No refresh token: log in again', { logReason: 'no refresh cookie' });
      return token;
    },
    clear() {
      res.append('Set-Cookie', serializeCookie(REFRESH_COOKIE_NAME, '', { ...attributes, maxAge: 0 }));
    },
  };
}
