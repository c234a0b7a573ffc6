import { newSessionId } from '@graphql-auth-service/subgraph/ids';
import { signAccessToken } from '../../src/tokens/sign';
import type { TestServer } from './test-server';

/** A validly signed token for a session the store has never seen, as an older fleet would have issued. */
export function tokenWithUnknownSession(server: TestServer, userId: string): { token: string; sessionId: string } {
  const sessionId = newSessionId();
  const now = Date.now();
  const { token } = signAccessToken(
    server.deps.keyRing,
    { issuer: server.config.jwt.issuer, audience: server.config.jwt.audience },
    { userId, sessionId, authorities: [], issuedAtMs: now, expiresAtMs: now + 600_000 },
  );
  return { token, sessionId };
}
