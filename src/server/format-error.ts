import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { AuthServiceError } from '../errors';
import { QueryLimitError } from '../graphql/limits/query-limit-error';

/** Codes whose message is written for the client and safe to pass on as they are. */
const CLIENT_FACING_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/**
 * Every error leaves with a code from DESIGN.md and a message meant for the
 * client. Anything unexpected is logged here and masked as INTERNAL_SERVER_ERROR:
 * no stack trace, no internal message.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { locations, path } = formatted;
    if (original instanceof AuthServiceError) {
      const { http: _http, ...extensions } = original.extensions;
      return { message: original.message, locations, path, extensions };
    }
    if (error instanceof GraphQLError && error.originalError instanceof QueryLimitError) {
      // Apollo files it under GRAPHQL_VALIDATION_FAILED; its own code says which bound it was.
      const { http: _http, ...extensions } = error.originalError.extensions;
      return { message: formatted.message, locations, extensions };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && CLIENT_FACING_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path }, 'unexpected error while handling a GraphQL request');
    return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
