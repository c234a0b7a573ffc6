import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { InternalServerError, UnreadableBodyError } from '@graphql-auth-service/subgraph/errors';

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
    const { status: answered, body } = (status >= 500 ? new InternalServerError(error) : unreadable(status)).toResponse();
    res.status(answered).json(body);
  };
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function unreadable(status: number): UnreadableBodyError {
  if (status === 413) return new UnreadableBodyError('Request body is too large', 413);
  if (status === 415) return new UnreadableBodyError('Unsupported content type', 415);
  return new UnreadableBodyError('Malformed request body', 400);
}
