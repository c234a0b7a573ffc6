import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type { RequestAuthenticator, RequestMetadata } from '../auth/request-authenticator';
import { AuthServiceError } from '../errors';
import type { GraphQLContext } from '../graphql/context';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * Builds each request's context. A token that fails is refused for the whole
 * request with its HTTP status (401, or 503 when Redis is unreachable), never
 * downgraded to anonymous.
 */
export function createContextBuilder(authenticate: RequestAuthenticator) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext> => {
    const request = requestMetadata(req);
    try {
      const principal = await authenticate(req.headers.authorization, request);
      return { principal, request };
    } catch (error) {
      if (error instanceof AuthServiceError) {
        const { http: _http, ...extensions } = error.extensions;
        throw new GraphQLError(error.message, {
          extensions: { ...extensions, http: { status: error.httpStatus, headers: challengeHeaders(error) } },
        });
      }
      throw error;
    }
  };
}

function requestMetadata(req: Request): RequestMetadata {
  const userAgent = req.headers['user-agent'];
  return {
    ...(req.socket.remoteAddress !== undefined && { ip: req.socket.remoteAddress }),
    ...(userAgent !== undefined && { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) }),
  };
}

function challengeHeaders(error: AuthServiceError): Map<string, string> {
  const headers = new Map<string, string>();
  if (error.httpStatus === 401) headers.set('www-authenticate', 'Bearer error="invalid_token"');
  return headers;
}
