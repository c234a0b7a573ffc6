import { GraphQLError } from 'graphql';
import { AuthServiceError } from '../errors';

/**
 * The GraphQL error that refuses a whole request whose credentials failed: the
 * service's code and the HTTP status (401 with a Bearer challenge, 503 when the
 * session store is unreachable). Used by the auth service and by every subgraph
 * and gateway that imports the kit, so all answer alike. Other errors pass unchanged.
 */
export function requestRejection(error: unknown): unknown {
  if (!(error instanceof AuthServiceError)) return error;
  const { http: _http, ...extensions } = error.extensions;
  const headers = new Map<string, string>();
  if (error.httpStatus === 401) headers.set('www-authenticate', 'Bearer error="invalid_token"');
  return new GraphQLError(error.message, { extensions: { ...extensions, http: { status: error.httpStatus, headers } } });
}
