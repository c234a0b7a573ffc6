import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { RequestAuthenticator, RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import { type GatewayVerifier, proofCheckOf } from '@graphql-auth-service/subgraph/federation/gateway-signature';
import { requestRejection } from '@graphql-auth-service/subgraph/auth/request-rejection';
import type { GraphQLContext } from '../graphql/context';
import { rememberPrincipal } from '../observability/request-logging';
import type { ClientAddress } from './client-address';
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
  readonly clientAddress: ClientAddress;
  /** Checks the gateway's proof; undefined when no GATEWAY_SECRET is set (then no request has it). */
  readonly fromGateway: GatewayVerifier | undefined;
}

/** What the context is built from: the request, its parsed body (the gateway's signature covers it), the response. */
export interface ContextSource {
  readonly req: IncomingMessage;
  readonly body: unknown;
  readonly res: ServerResponse;
}

export type ContextBuilder = (source: ContextSource) => Promise<GraphQLContext>;

export function createContextBuilder(authenticate: RequestAuthenticator, options: ContextBuilderOptions): ContextBuilder {
  const nowMs = () => options.clock.now();
  return async ({ req, body, res }) => {
    const request = requestMetadata(req, options.clientAddress);
    const refreshTokens = options.refreshTokenCookie ? cookieTransport(req, res, options.graphqlPath, nowMs) : bodyTransport();
    try {
      const principal = await authenticate(req.headers.authorization, request);
      rememberPrincipal(res, principal);
      const proven = proofCheckOf(options.fromGateway, { method: req.method, headers: req.headers, body });
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

function requestMetadata(req: IncomingMessage, clientAddress: ClientAddress): RequestMetadata {
  const ip = clientAddress(req);
  const userAgent = req.headers['user-agent'];
  return {
    ...(ip !== undefined && { ip }),
    ...(userAgent !== undefined && { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) }),
  };
}
