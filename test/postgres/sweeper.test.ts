import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createPostgresAccountTokenStore } from '../../src/accounts/postgres-account-token-store';
import { createPostgresFailureCounterStore } from '../../src/brute-force/postgres-failure-counter-store';
import type { LockoutPolicy } from '../../src/brute-force/policy';
import { startSweeper } from '../../src/postgres/sweeper';
import { createPostgresSecondFactorStore } from '../../src/second-factors/postgres-second-factor-store';
import { ManualClock } from '../support/manual-clock';
import { openTestSchema, type TestSchema } from '../support/postgres';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const policy: LockoutPolicy = { failureFactor: 5, waitIncrementMs: MINUTE, maxWaitMs: 10 * MINUTE, failureResetMs: HOUR };

describe('the sweeper of the PostgreSQL store', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await openTestSchema();
  });
  afterEach(() => schema.close());

  const rows = async (table: string) => Number((await schema.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('deletes expired login counters, mailed-link tokens and spent passkey challenges, and keeps what still counts', async () => {
    const clock = new ManualClock(Date.now());
    const start = clock.now();
    const tokens = createPostgresAccountTokenStore({ postgres: schema.pool, clock });
    const counters = createPostgresFailureCounterStore({ postgres: schema.pool });
    const factors = createPostgresSecondFactorStore({ postgres: schema.pool });
    const sweeper = startSweeper(schema.pool, () => clock.now(), (error) => {
      throw error;
    });

    const shortLived = await tokens.issue('password-reset', { userId: 'u-1' }, 30 * MINUTE);
    const longLived = await tokens.issue('verify-email', { userId: 'u-1' }, 80 * MINUTE);
    await counters.begin({ tag: 'ip:203.0.113.9' }, 'attempt-1', policy, start);
    await counters.end({ tag: 'ip:203.0.113.9' }, 'attempt-1', 'failure', policy, start);
    const userId = newUserId(start);
    const passkey = { id: 'pk', publicKey: 'key', counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, createdAt: start } as const;
    await factors.addPasskey(userId, passkey, 5);
    expect(await factors.usePasskey(userId, 'pk', 0, start, { digest: 'answered', expiresAt: start + 5 * MINUTE })).toBe('used');
    expect([await rows('account_tokens'), await rows('login_counters'), await rows('spent_passkey_challenges')]).toEqual([2, 1, 1]);

    clock.advance(30 * MINUTE);
    expect(await sweeper.sweep(clock.now())).toBe(2);
    expect(await tokens.peek('password-reset', shortLived)).toBeUndefined();
    expect(await counters.state({ tag: 'ip:203.0.113.9' }, clock.now())).toEqual({ failures: 1, lockedUntil: undefined });

    clock.advance(HOUR);
    expect(await sweeper.sweep(clock.now())).toBe(2);
    expect([await rows('account_tokens'), await rows('login_counters'), await rows('spent_passkey_challenges')]).toEqual([0, 0, 0]);
    expect(await tokens.peek('verify-email', longLived)).toBeUndefined();
    // The passkey itself never expires.
    expect((await factors.read(userId)).passkeys.map((one) => one.id)).toEqual(['pk']);
    sweeper.stop();
  });
});
