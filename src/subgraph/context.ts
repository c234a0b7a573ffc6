import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/principal';
import type { RequestAuthenticator } from '../auth/request-authenticator';
import { requestRejection } from '../auth/request-rejection';

/** What the kit puts on a subgraph's context; `@auth` reads `principal`. */
export interface AuthContext {
  readonly principal: Principal | undefined;
}

/**
 * An Apollo `context` function body: reads the Authorization header and answers the
 * principal, or refuses the whole request with the auth service's code and HTTP status.
 */
export function createAuthContext(authenticate: RequestAuthenticator) {
  return async ({ req }: { req: { headers: IncomingHttpHeaders } }): Promise<AuthContext> => {
    const header = req.headers.authorization;
    try {
      return { principal: await authenticate(header, {}) };
    } catch (error) {
      throw requestRejection(error);
    }
  };
}
