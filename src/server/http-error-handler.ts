import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Errors raised before GraphQL runs (a body that is not JSON, too large) answer
 * in GraphQL's error shape with their 4xx status, never express's HTML page with
 * a stack trace.
 */
export function createHttpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = httpStatusOf(error);
    if (status >= 500) logger.error({ err: error }, 'unexpected error before GraphQL execution');
    const message = status >= 500 ? 'Internal server error' : clientMessage(status);
    const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function clientMessage(status: number): string {
  if (status === 413) return 'Request body is too large';
  if (status === 415) return 'Unsupported content type';
  return 'Malformed request body';
}
