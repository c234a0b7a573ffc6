/** The package's public surface: everything else is internal. */
export { loadConfig } from './config/load-config';
export { ConfigError } from './config/config-error';
export type { AppConfig } from './config/config';
export type { SessionCheckMode } from './sessions/session-config';
export type { SessionLimitPolicy } from './sessions/session';
export { createDependencies, type AppDependencies } from './server/dependencies';
export { createServer, type AuthServer, GRAPHQL_PATH } from './server/create-server';
export { authDirective, authDirectiveTypeDefs, AUTH_DIRECTIVE_NAME } from './auth/directive/auth-directive';
export { authDirectiveTransformer, type AuthTransformerOptions } from './auth/directive/auth-transformer';
export { satisfiesRule, type AuthRule } from './auth/directive/auth-rule';
export type { Principal } from './auth/principal';
export {
  AuthServiceError,
  UnauthenticatedError,
  ForbiddenError,
  BadUserInputError,
  RateLimitedError,
  ServiceUnavailableError,
  type ErrorCode,
} from './errors';
