import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Where the context builder leaves the checked caller, for the access log. */
export function rememberPrincipal(res: Response, principal: Principal | undefined): void {
  res.locals.principal = principal;
}

/**
 * One JSON line per request: request id (the caller's X-Request-Id when sane), method,
 * path without the query string (a GET query may carry passwords in its variables),
 * status, duration, and the user and session when known. Never a header, so never a token.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          ...(principal && { userId: principal.userId, sessionId: principal.sessionId }),
        },
        'request',
      );
    });
    next();
  };
}
