import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AuthServiceError, InternalServerError, UnreadableBodyError } from '@graphql-auth-service/subgraph/errors';

export interface ErrorAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Errors raised before GraphQL runs (a body that is not JSON, too large, a batch over
 * the limit) answer in GraphQL's error shape with their 4xx status, never a page with
 * a stack trace; anything unexpected is logged and masked as a 500.
 */
export function errorAnswerOf(error: unknown, logger: Logger): ErrorAnswer {
  if (error instanceof AuthServiceError) return error.toResponse();
  const status = httpStatusOf(error);
  if (status >= 500) logger.error({ err: error }, 'unexpected error before GraphQL execution');
  // Express reads no bodies (the GraphQL endpoint does): a client error there is a request it could not take apart.
  return (status >= 500 ? new InternalServerError(error) : new UnreadableBodyError('Malformed request body', 400)).toResponse();
}

/** The same answers for the routes express serves. */
export function createHttpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, body } = errorAnswerOf(error, logger);
    res.status(status).json(body);
  };
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
