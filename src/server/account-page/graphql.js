// @ts-check

/**
 * Talking to this origin's GraphQL endpoint: one operation per request, and an answer's
 * first error as an OperationError.
 */

const GRAPHQL_PATH = '/graphql';

/** @typedef {{ readonly message: string, readonly extensions?: { readonly code?: string, readonly methods?: readonly string[] } }} GraphQLErrorBody */

/** The first error of an answer (its message is for the user, its code for this script), or no answer at all. */
export class OperationError extends Error {
  /**
   * @param {string} message
   * @param {string} [code]
   * @param {readonly string[]} [methods]
   */
  constructor(message, code, methods = []) {
    super(message);
    this.code = code;
    this.methods = methods;
  }
}

/**
 * One operation, POSTed as JSON (which Apollo's CSRF prevention accepts). Same-origin
 * credentials carry the refresh cookie when the server keeps the refresh token in one.
 * @template T
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {string} [accessToken]
 * @returns {Promise<T>}
 */
export async function post(query, variables, accessToken) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  /** @type {Response} */
  let response;
  try {
    response = await fetch(GRAPHQL_PATH, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new OperationError('The service cannot be reached. Check your connection and try again.');
  }
  /** @type {{ data?: T | null, errors?: readonly GraphQLErrorBody[] } | undefined} */
  const body = await response.json().catch(() => undefined);
  const error = body?.errors?.[0];
  if (error) throw new OperationError(error.message, error.extensions?.code, error.extensions?.methods);
  if (body?.data === undefined || body.data === null) throw new OperationError(`The service answered ${response.status} without data.`);
  return body.data;
}
