import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { BadUserInputError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { RefreshTokenTransport } from '../graphql/context';

export const REFRESH_COOKIE_NAME = '__Secure-refresh-token';

const BODY_TRANSPORT: RefreshTokenTransport = {
  deliver: (token) => token,
  presented(argument) {
    if (!argument) throw new BadUserInputError('refreshToken is required', { details: { field: 'refreshToken' } });
    return argument;
  },
  clear: () => undefined,
};

export function bodyTransport(): RefreshTokenTransport {
  return BODY_TRANSPORT;
}

export function cookieTransport(req: IncomingMessage, res: ServerResponse, path: string, nowMs: () => number): RefreshTokenTransport {
  const attributes = { httpOnly: true, secure: true, sameSite: 'strict', path } as const;
  return {
    deliver(token, expiresAtMs) {
      const maxAge = Math.max(0, Math.floor((expiresAtMs - nowMs()) / 1000));
      res.appendHeader('set-cookie', serializeCookie(REFRESH_COOKIE_NAME, token, { ...attributes, maxAge }));
      return null;
    },
    presented(argument) {
      const token = argument ?? parseCookies(req.headers.cookie ?? '')[REFRESH_COOKIE_NAME];
      if (!token) throw new UnauthenticatedError('No refresh token: log in again', { logReason: 'no refresh cookie' });
      return token;
    },
    clear() {
      res.appendHeader('set-cookie', serializeCookie(REFRESH_COOKIE_NAME, '', { ...attributes, maxAge: 0 }));
    },
  };
}
