import cors from 'cors';
import type { RequestHandler } from 'express';

const PREFLIGHT_CACHE_SECONDS = 600;

/**
 * Only the configured origins may call with credentials (the refresh cookie); any
 * other origin gets no CORS headers, so the browser withholds the response. Apollo's
 * CSRF prevention still applies to every request on top of this.
 */
export function createCorsMiddleware(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: PREFLIGHT_CACHE_SECONDS,
  });
}
