import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { Client } from 'pg';
import { createPostgresRemoteIdentityStore } from '../../src/credentials/postgres-remote-identity-store';
import type { RemoteIdentityStore } from '../../src/credentials/remote-identity-store';
import { openTestSchema, type TestSchema } from '../support/postgres';

const RACERS = 20;

describe('PostgreSQL remote identity store', () => {
  let schema: TestSchema;
  let store: RemoteIdentityStore;
  beforeEach(async () => {
    schema = await openTestSchema();
    store = createPostgresRemoteIdentityStore({ postgres: schema.pool });
  });
  afterEach(() => schema.close());

  it('finds nothing for a remote id never claimed', async () => {
    expect(await store.find('remote-1')).toBeUndefined();
  });

  it('gives a remote id to its first claimant, and answers that holder to every later claim', async () => {
    const first = newUserId(Date.now());
    const second = newUserId(Date.now() + 1);
    expect(await store.claim('remote-1', first)).toBe(first);
    expect(await store.claim('remote-1', second)).toBe(first);
    expect(await store.find('remote-1')).toBe(first);
    expect(await store.find('remote-2')).toBeUndefined();
  });

  it(`answers one holder to all of ${RACERS} concurrent claims`, async () => {
    const now = Date.now();
    const holders = await Promise.all(Array.from({ length: RACERS }, (_, index) => store.claim('remote-1', newUserId(now + index))));
    expect(new Set(holders).size).toBe(1);
    expect(await store.find('remote-1')).toBe(holders[0]);
  });

  it("answers the holder when another instance's claim commits while this one waits on it", async () => {
    const winner = newUserId(Date.now());
    const other = new Client({ connectionString: schema.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('INSERT INTO remote_identities (remote_id, user_id) VALUES ($1, $2)', ['remote-1', winner]);
      const claim = store.claim('remote-1', newUserId(Date.now() + 1));
      // The claim waits on the other instance's row until it commits.
      await untilAClaimWaits(schema);
      await other.query('COMMIT');
      expect(await claim).toBe(winner);
    } finally {
      await other.end();
    }
  });
});

async function untilAClaimWaits(schema: TestSchema): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { rows } = await schema.pool.query<{ waiting: number }>(
      "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO remote_identities%'",
    );
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('The claim never waited on the other instance');
}
