import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HeaderList, setHeaders } from './security-headers';

const PREFLIGHT_CACHE_SECONDS = 600;
const ALLOWED_METHODS = 'GET,POST,OPTIONS';
const ALLOWED_HEADERS = 'authorization,content-type,apollo-require-preflight,x-apollo-operation-name';

export interface CorsPolicy {
  /** The headers for a request from `origin` (a preflight's own come from `preflight`). */
  headersFor(origin: string | undefined): HeaderList;
  /** Answers a preflight (OPTIONS) in full: 204, with the allow headers for a listed origin only. */
  answerPreflight(req: IncomingMessage, res: ServerResponse, extraHeaders: HeaderList): void;
}

/**
 * Only the configured origins may call with credentials (the refresh cookie); any
 * other origin gets no CORS headers, so the browser withholds the response. Apollo's
 * CSRF prevention still applies to every request on top of this.
 *
 * The policy is a fixed list, so every answer is computed at start-up, one per listed
 * origin: a request only looks its origin up. (The `cors` package would decide the same
 * thing again through callbacks on every request; there is nothing left to decide.)
 */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  // The answer depends on Origin whether or not it is listed: caches must key on it.
  const unlisted: HeaderList = [['vary', 'Origin']];
  const simple = new Map<string, HeaderList>();
  const preflight = new Map<string, HeaderList>();
  for (const origin of allowedOrigins) {
    const allow: HeaderList = [
      ['vary', 'Origin'],
      ['access-control-allow-origin', origin],
      ['access-control-allow-credentials', 'true'],
    ];
    simple.set(origin, allow);
    preflight.set(origin, [
      ...allow,
      ['access-control-allow-methods', ALLOWED_METHODS],
      ['access-control-allow-headers', ALLOWED_HEADERS],
      ['access-control-max-age', String(PREFLIGHT_CACHE_SECONDS)],
    ]);
  }
  return {
    headersFor: (origin) => (origin === undefined ? unlisted : (simple.get(origin) ?? unlisted)),
    answerPreflight(req, res, extraHeaders) {
      const origin = req.headers.origin;
      const headers = (origin === undefined ? undefined : preflight.get(origin)) ?? unlisted;
      setHeaders(res, extraHeaders);
      setHeaders(res, headers);
      res.setHeader('content-length', '0');
      res.statusCode = 204;
      res.end();
    },
  };
}
