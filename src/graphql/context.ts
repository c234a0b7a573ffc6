import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';
import type { RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';

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

/**
 * How the refresh token travels: in the response body (default), or, in SPA mode,
 * as an HttpOnly cookie that page scripts cannot read and only the GraphQL path receives.
 */
export interface RefreshTokenTransport {
  /** Hands the token to the client; returns what the body carries (null when it went in the cookie). */
  deliver(token: string, expiresAtMs: number): string | null;
  /** The token the client presented: the argument, else (in cookie mode) the cookie. */
  presented(argument: string | null): string;
  /** Tells the browser to drop the cookie (cookie mode only). */
  clear(): void;
}
