import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { authErrorOf, InternalServerError } from '@graphql-auth-service/subgraph/errors';

/**
 * Codes Apollo and graphql-js give their own refusals (a document that does not
 * parse or validate, variables of the wrong type): their messages are written for
 * the client. Apollo's BAD_REQUEST (a request without a query, say) leaves as
 * BAD_USER_INPUT, so clients meet only this service's codes for their mistakes.
 */
const GRAPHQL_CODES = new Map([
  ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_PARSE_FAILED'],
  ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED'],
  ['BAD_USER_INPUT', 'BAD_USER_INPUT'],
  ['BAD_REQUEST', 'BAD_USER_INPUT'],
  ['OPERATION_RESOLUTION_FAILURE', 'OPERATION_RESOLUTION_FAILURE'],
  ['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_FOUND'],
  ['PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_SUPPORTED'],
]);

/**
 * Every error leaves with a code from src/errors.ts (or one of GraphQL's own for a
 * document it could not run) and a message meant for the client. Anything
 * unexpected is logged here and masked as INTERNAL_SERVER_ERROR: no stack trace,
 * no internal message.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { locations, path } = formatted;
    // Follows originalError however deep resolvers, validation and plugins wrapped it.
    const own = authErrorOf(error);
    if (own) return { message: own.message, locations, path, extensions: own.clientExtensions };
    const original = unwrapResolverError(error);
    const code = GRAPHQL_CODES.get(String(formatted.extensions?.code));
    if (original instanceof GraphQLError && code !== undefined) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    logger.error({ err: original, path }, 'unexpected error while handling a GraphQL request');
    const masked = new InternalServerError();
    return { message: masked.message, locations, path, extensions: masked.clientExtensions };
  };
}
