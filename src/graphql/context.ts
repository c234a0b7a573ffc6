import type { Principal } from '../auth/principal';
import type { RequestMetadata } from '../auth/request-authenticator';
import type { RefreshTokenTransport } from '../server/refresh-token-transport';

/** What every resolver sees: the checked caller (or none) and where the request came from. */
export interface GraphQLContext {
  readonly principal: Principal | undefined;
  readonly request: RequestMetadata;
  readonly refreshTokens: RefreshTokenTransport;
  /** The request carried the gateway's proof (GATEWAY_SECRET); federation fields need it. */
  readonly fromGateway: boolean;
}

export function requirePrincipal(context: GraphQLContext): Principal {
  // @auth guarantees this for guarded fields; reaching here without one is a schema bug.
  if (!context.principal) throw new Error('Resolver reached without a principal: is its field missing @auth?');
  return context.principal;
}
