import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const principals = new WeakMap<ServerResponse, Principal>();

/** Where the context builder leaves the checked caller, for the access log. */
export function rememberPrincipal(res: ServerResponse, principal: Principal | undefined): void {
  if (principal) principals.set(res, principal);
}

/**
 * Starts one request's access log line, written when the response is finished; answers
 * the request id, which the caller sends back as `x-request-id`.
 */
export type RequestLog = (req: IncomingMessage, res: ServerResponse) => string;

/**
 * One JSON line per request: request id (the caller's X-Request-Id when sane), method,
 * path without the query string (a GET query may carry passwords in its variables),
 * status, duration, and the user and session when known. Never a header, so never a token.
 */
export function createRequestLog(logger: Logger): RequestLog {
  // Below info nothing is written: the line is not built either (the id header still is).
  const enabled = logger.isLevelEnabled('info');
  return (req, res) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    if (!enabled) return requestId;
    const started = performance.now();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    res.once('finish', () => {
      const principal = principals.get(res);
      logger.info(
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: performance.now() - started,
          ...(principal && { userId: principal.userId, sessionId: principal.sessionId }),
        },
        'request',
      );
    });
    return requestId;
  };
}

/** The same log for the routes express serves. */
export function requestLogMiddleware(log: RequestLog): RequestHandler {
  return (req, res, next) => {
    res.setHeader('x-request-id', log(req, res));
    next();
  };
}
