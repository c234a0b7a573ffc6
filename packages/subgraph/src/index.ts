/**
 * The `@auth` kit for other subgraphs (and a gateway): `import { ... } from
 * '@graphql-auth-service/subgraph'`. Same directive, same error codes, same session
 * check as the auth service itself, which builds on this package too.
 *
 * This entry point is the public API. The modules behind it are reachable by path
 * (`@graphql-auth-service/subgraph/tokens/verify`) because the auth service shares
 * them; they change with the package's version as a whole.
 */
export { authDirective, authDirectiveTypeDefs, AUTH_DIRECTIVE_NAME } from './auth/directive/auth-directive';
export { authSubgraphTypeDefs, AUTH_SPEC_URL } from './auth/directive/auth-link';
export { authDirectiveTransformer, type AuthTransformerOptions } from './auth/directive/auth-transformer';
export { satisfiesRule, type AuthRule } from './auth/directive/auth-rule';
export type { Principal } from './auth/principal';
export { usedSecondFactor, type AuthenticationMethod } from './auth/amr';
export type { RequestAuthenticator } from './auth/request-authenticator';
export { requestRejection } from './auth/request-rejection';
export { createRedisClient, closeRedisClient, type RedisClient } from './redis/client';
export type { RedisConfig, RedisConnectionConfig, RedisAccess, RedisTlsConfig, HostPort } from './redis/redis-config';
export { probeRedisNodes, type NodeProbe } from './redis/probe';
export type { PostgresClient, PreparedStatement } from './postgres/client';
export {
  AuthServiceError,
  UnauthenticatedError,
  MfaRequiredError,
  ForbiddenError,
  ServiceUnavailableError,
  type ErrorCode,
} from './errors';
export {
  createSubgraphAuthenticator,
  type SubgraphAuthOptions,
  type SubgraphKeys,
  type SubgraphSessionCheck,
} from './subgraph-authenticator';
export { createAuthContext, type AuthContext, type AuthContextOptions } from './context';
export { viewedBy } from './auth/directive/viewed-by';
export {
  createGatewayVerifier,
  gatewaySignatureHeaders,
  canonicalRequest,
  GATEWAY_SIGNATURE_HEADER,
  GATEWAY_SECRET_HEADER,
  type GatewayVerifier,
  type SignedRequestBody,
} from './federation/gateway-signature';
export { guardFederationFields, GATEWAY_PROOF_REQUIRED, type FederationFieldsGuardOptions } from './federation/federation-fields-guard';
export { createRepresentationCheck } from './limits/representation-check';
export { createJwksKeySource, type JwksKeySource, type JwksKeySourceOptions } from './jwks-key-source';
