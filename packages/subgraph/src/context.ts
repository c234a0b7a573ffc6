import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './auth/principal';
import type { RequestAuthenticator } from './auth/request-authenticator';
import { requestRejection } from './auth/request-rejection';
import { createGatewayVerifier, proofCheckOf } from './federation/gateway-signature';

/** What the kit puts on a subgraph's context; `@auth` reads `principal`. */
export interface AuthContext {
  readonly principal: Principal | undefined;
  /** The request carried the gateway's proof; always false without `gatewaySecret`. */
  readonly fromGateway: boolean;
}

export interface AuthContextOptions {
  /** The secret shared with the gateway (GATEWAY_SECRET), to recognise its signed requests. */
  readonly gatewaySecret?: string;
}

/**
 * An Apollo `context` function body: reads the Authorization header and answers the
 * principal, or refuses the whole request with the auth service's code and HTTP status.
 */
export function createAuthContext(authenticate: RequestAuthenticator, options: AuthContextOptions = {}) {
  const verify = options.gatewaySecret === undefined ? undefined : createGatewayVerifier(options.gatewaySecret);
  return async ({ req }: { req: { method?: string; headers: IncomingHttpHeaders; body?: unknown } }): Promise<AuthContext> => {
    const header = req.headers.authorization;
    try {
      const principal = await authenticate(header, {});
      const proven = proofCheckOf(verify, req);
      return {
        principal,
        get fromGateway() {
          return proven();
        },
      };
    } catch (error) {
      throw requestRejection(error);
    }
  };
}
