import type { PostgresClient } from '@graphql-auth-service/subgraph/postgres/client';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';
import type { RemoteIdentityStore } from './remote-identity-store';

export interface PostgresRemoteIdentityStoreDeps {
  readonly postgres: PostgresClient;
}

interface HolderRow extends Record<string, unknown> {
  user_id: string;
}

const FIND = 'SELECT user_id FROM remote_identities WHERE remote_id = $1';

// The new row, or else the row that was there: exactly one of the two branches answers.
// Except in a race: when another claim commits the row while this one waits on it, the
// statement's snapshot (taken before the wait) does not see it, and neither branch answers.
const CLAIM = `
WITH claimed AS (
  INSERT INTO remote_identities (remote_id, user_id) VALUES ($1, $2)
  ON CONFLICT (remote_id) DO NOTHING
  RETURNING user_id
)
SELECT user_id FROM claimed
UNION ALL
SELECT user_id FROM remote_identities WHERE remote_id = $1`;

/** One row per remote user holding its local id, claimed by the primary key like a username. */
export function createPostgresRemoteIdentityStore({ postgres }: PostgresRemoteIdentityStoreDeps): RemoteIdentityStore {
  const find = async (remoteId: string): Promise<string | undefined> => {
    const { rows } = await failClosedOnPostgres(() => postgres.query<HolderRow>({ name: 'auth_remote_identities_find', text: FIND, values: [remoteId] }));
    return rows[0]?.user_id;
  };
  return {
    find,
    async claim(remoteId, userId) {
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query<HolderRow>({ name: 'auth_remote_identities_claim', text: CLAIM, values: [remoteId, userId] }),
      );
      // Lost a race: the winner has committed by now, so a statement of its own sees its row.
      const holder = rows[0]?.user_id ?? (await find(remoteId));
      if (holder === undefined) throw new Error("A remote identity's claim lost to a row that is gone");
      return holder;
    },
  };
}
