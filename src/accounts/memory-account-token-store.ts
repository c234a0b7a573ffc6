import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { accountTokenHash, isAccountTokenShaped, newAccountToken } from './account-token';
import type { AccountTokenPayload, AccountTokenStore } from './account-token-store';

/** The embedded store: hashes and payloads in this process, lost on restart. */
export function createMemoryAccountTokenStore(clock: Clock): AccountTokenStore {
  const stored = new Map<string, { readonly payload: AccountTokenPayload; readonly expiresAt: number }>();
  const dropExpired = () => {
    const now = clock.now();
    for (const [key, entry] of stored) if (entry.expiresAt <= now) stored.delete(key);
  };
  return {
    async issue(purpose, payload, ttlMs) {
      dropExpired();
      const token = newAccountToken();
      stored.set(`${purpose}:${accountTokenHash(token)}`, { payload: { ...payload }, expiresAt: clock.now() + ttlMs });
      return token;
    },
    async peek(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      const entry = stored.get(`${purpose}:${accountTokenHash(token)}`);
      return entry && entry.expiresAt > clock.now() ? entry.payload : undefined;
    },
    async consume(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      const key = `${purpose}:${accountTokenHash(token)}`;
      const entry = stored.get(key);
      stored.delete(key);
      return entry && entry.expiresAt > clock.now() ? entry.payload : undefined;
    },
  };
}
