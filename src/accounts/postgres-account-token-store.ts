import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { PostgresClient } from '@graphql-auth-service/subgraph/postgres/client';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';
import { accountTokenHash, isAccountTokenShaped, newAccountToken } from './account-token';
import type { AccountTokenPayload, AccountTokenStore } from './account-token-store';

export interface PostgresAccountTokenStoreDeps {
  readonly postgres: PostgresClient;
  /** Decides expiry: the service's clock, not the database's, as for the other stores. */
  readonly clock: Clock;
}

interface PayloadRow extends Record<string, unknown> {
  payload: AccountTokenPayload;
}

const ISSUE = 'INSERT INTO account_tokens (purpose, token_hash, payload, expires_at) VALUES ($1, $2, $3, $4)';
const PEEK = 'SELECT payload FROM account_tokens WHERE purpose = $1 AND token_hash = $2 AND expires_at > $3';
// Read and removed in one statement: of two requests racing with one token, one gets the row.
const CONSUME = 'DELETE FROM account_tokens WHERE purpose = $1 AND token_hash = $2 AND expires_at > $3 RETURNING payload';

/**
 * One row per token, keyed by purpose and the token's hash, holding the payload as jsonb.
 * An expired row is ignored until the sweeper deletes it.
 */
export function createPostgresAccountTokenStore({ postgres, clock }: PostgresAccountTokenStoreDeps): AccountTokenStore {
  const payloadOf = async (name: string, text: string, values: readonly unknown[]): Promise<AccountTokenPayload | undefined> => {
    const { rows } = await failClosedOnPostgres(() => postgres.query<PayloadRow>({ name, text, values }));
    return rows[0]?.payload;
  };
  return {
    async issue(purpose, payload, ttlMs) {
      const token = newAccountToken();
      const values = [purpose, accountTokenHash(token), JSON.stringify(payload), clock.now() + ttlMs];
      await failClosedOnPostgres(() => postgres.query({ name: 'auth_account_tokens_issue', text: ISSUE, values }));
      return token;
    },
    async peek(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      return payloadOf('auth_account_tokens_peek', PEEK, [purpose, accountTokenHash(token), clock.now()]);
    },
    async consume(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      return payloadOf('auth_account_tokens_consume', CONSUME, [purpose, accountTokenHash(token), clock.now()]);
    },
  };
}
