import { accountTokenHash } from '../../src/accounts/account-token';
import { createPostgresAccountTokenStore } from '../../src/accounts/postgres-account-token-store';
import { ManualClock } from '../support/manual-clock';
import { openTestSchema, type TestSchema } from '../support/postgres';
import { describeAccountTokenStoreContract } from './account-token-store.contract';

const MINUTE = 60_000;

describeAccountTokenStoreContract('PostgreSQL', async () => {
  const schema = await openTestSchema();
  return { store: createPostgresAccountTokenStore({ postgres: schema.pool, clock: new ManualClock(Date.now()) }), close: () => schema.close() };
});

describe('PostgreSQL account-token store', () => {
  let schema: TestSchema;
  let clock: ManualClock;
  beforeEach(async () => {
    schema = await openTestSchema();
    clock = new ManualClock(Date.now());
  });
  afterEach(() => schema.close());

  it('keeps only the hash: no column holds the token, and the row expires with it', async () => {
    const store = createPostgresAccountTokenStore({ postgres: schema.pool, clock });
    const token = await store.issue('password-reset', { userId: 'u-1' }, 30 * MINUTE);

    const { rows } = await schema.pool.query('SELECT * FROM account_tokens');
    expect(rows).toEqual([{ purpose: 'password-reset', token_hash: accountTokenHash(token), payload: { userId: 'u-1' }, expires_at: String(clock.now() + 30 * MINUTE) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("refuses a token past its lifetime by the service's clock, before the sweeper deletes its row", async () => {
    const store = createPostgresAccountTokenStore({ postgres: schema.pool, clock });
    const token = await store.issue('verify-email', { userId: 'u-1' }, 30 * MINUTE);
    const kept = await store.issue('verify-email', { userId: 'u-2' }, 31 * MINUTE);
    clock.advance(30 * MINUTE);

    expect(await store.peek('verify-email', token)).toBeUndefined();
    expect(await store.consume('verify-email', token)).toBeUndefined();
    expect(await store.consume('verify-email', kept)).toEqual({ userId: 'u-2' });
    const { rows } = await schema.pool.query('SELECT token_hash FROM account_tokens');
    expect(rows).toEqual([{ token_hash: accountTokenHash(token) }]);
  });
});
