import type { Request, Response } from 'express';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { RequestAuthenticator, RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import { type GatewayVerifier, proofCheckOf } from '@graphql-auth-service/subgraph/federation/gateway-signature';
import { requestRejection } from '@graphql-auth-service/subgraph/auth/request-rejection';
import type { GraphQLContext } from '../graphql/context';
import { rememberPrincipal } from '../observability/request-logging';
import { bodyTransport, cookieTransport } from './refresh-token-transport';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * Builds each request's context. A token that fails is refused for the whole
 * request with its HTTP status (401, or 503 when Redis is unreachable), never
 * downgraded to anonymous.
 */
export interface ContextBuilderOptions {
  readonly refreshTokenCookie: boolean;
  readonly graphqlPath: string;
  readonly clock: Clock;
  /** Checks the gateway's proof; undefined when no GATEWAY_SECRET is set (then no request has it). */
  readonly fromGateway: GatewayVerifier | undefined;
}

export function createContextBuilder(authenticate: RequestAuthenticator, options: ContextBuilderOptions) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<GraphQLContext> => {
    const request = requestMetadata(req);
    const refreshTokens = options.refreshTokenCookie
      ? cookieTransport(req, res, options.graphqlPath, () => options.clock.now())
      : bodyTransport();
    try {
      const principal = await authenticate(req.headers.authorization, request);
      rememberPrincipal(res, principal);
      const proven = proofCheckOf(options.fromGateway, req);
      return {
        principal,
        request,
        refreshTokens,
        get fromGateway() {
          return proven();
        },
      };
    } catch (error) {
      throw requestRejection(error);
    }
  };
}

/** `req.ip` is the socket's peer, or the X-Forwarded-For entry that TRUST_PROXY makes believable. */
function requestMetadata(req: Request): RequestMetadata {
  const userAgent = req.headers['user-agent'];
  return {
    ...(req.ip !== undefined && { ip: req.ip }),
    ...(userAgent !== undefined && { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) }),
  };
}
