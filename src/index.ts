/**
 * The service's programmatic surface, for embedding it in another process: config,
 * wiring and server. The `@auth` directive, its transformer and the error classes are
 * the `@graphql-auth-service/subgraph` package's, which the service builds on.
 */
export { loadConfig } from './config/load-config';
export { ConfigError } from './config/config-error';
export type { AppConfig } from './config/config';
export type { SessionCheckMode } from '@graphql-auth-service/subgraph/sessions/session-config';
export type { SessionLimitPolicy } from '@graphql-auth-service/subgraph/sessions/session';
export { createDependencies, type AppDependencies } from './server/dependencies';
export { createServer, type AuthServer, GRAPHQL_PATH } from './server/create-server';
