/**
 * The typed GraphQL client for single-page apps: every operation of the auth service
 * as a TypedDocumentNode, a small fetch client, and the SPA session (the access token
 * in memory, one shared refresh on a 401, then a retry).
 */
export { createAuthClient, GraphQLRequestError, type AuthClient, type AuthClientOptions, type CallOptions, type GraphQLResult, type GraphQLResponseError } from './auth-client';
export { createSpaSession } from './spa-session';
export * from './generated/graphql';
