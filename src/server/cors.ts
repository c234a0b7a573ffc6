import cors from 'cors';
import type { RequestHandler } from 'express';

const PREFLIGHT_CACHE_SECONDS = 600;

/**
 * Only the configured origins may call with credentials (the refresh cookie); any
 * other origin gets no CORS headers, so the browser withholds the response. Apollo's
 * CSRF prevention still applies to every request on top of this.
 *
 * Mounted first on the GraphQL path, it answers every preflight (OPTIONS) itself, from
 * a listed origin or not: nothing behind it (GraphiQL's router, Apollo) ever sees one.
 */
export function createCorsMiddleware(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  const corsHeaders = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: PREFLIGHT_CACHE_SECONDS,
  });
  return (req, res, next) => {
    // The answer depends on Origin whether or not it is listed: caches must key on it.
    res.vary('Origin');
    // No Origin, no CORS: a server-to-server call or a same-origin navigation has nothing to decide.
    if (req.headers.origin === undefined && req.method !== 'OPTIONS') return next();
    // A listed origin's preflight ends inside `cors` (204 with the allow headers); any other ends here, with none.
    corsHeaders(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.method === 'OPTIONS') return void res.status(204).set('content-length', '0').end();
      next();
    });
  };
}
