import { asGraphQLError, AuthServiceError } from '../errors';

/**
 * The GraphQL error that refuses a whole request whose credentials failed: the
 * service's code and the HTTP status (401 with a Bearer challenge, 503 when the
 * session store is unreachable). Used by the auth service and by every subgraph
 * and gateway that imports the kit, so all answer alike. Other errors pass unchanged.
 */
export function requestRejection(error: unknown): unknown {
  return error instanceof AuthServiceError ? asGraphQLError(error, { wholeRequest: true }) : error;
}
