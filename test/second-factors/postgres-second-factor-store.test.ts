import { randomBytes } from 'node:crypto';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createPostgresPool } from '../../src/postgres/pool';
import { createPostgresSecondFactorStore } from '../../src/second-factors/postgres-second-factor-store';
import { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeHash } from '../../src/second-factors/recovery-codes';
import { createSecretBox } from '../../src/second-factors/secret-box';
import { newTotpSecret } from '../../src/second-factors/totp';
import { openTestSchema, type TestSchema } from '../support/postgres';
import { describeSecondFactorStoreContract } from './second-factor-store.contract';

const RACERS = 20;
const TABLES = ['second_factors', 'recovery_codes', 'passkeys', 'spent_passkey_challenges'];

describeSecondFactorStoreContract('PostgreSQL', async () => {
  const schema = await openTestSchema();
  return { store: createPostgresSecondFactorStore({ postgres: schema.pool }), close: () => schema.close() };
});

describe('PostgreSQL second-factor store', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await openTestSchema();
  });
  afterEach(() => schema.close());

  async function everyRow(): Promise<string> {
    const dumps = await Promise.all(TABLES.map(async (table) => JSON.stringify((await schema.pool.query(`SELECT * FROM ${table}`)).rows)));
    return dumps.join('\n');
  }

  it('holds no recovery code and no clear secret in any row, and removeAll leaves no row of the user', async () => {
    const store = createPostgresSecondFactorStore({ postgres: schema.pool });
    const now = Date.now();
    const userId = newUserId(now);
    const secret = newTotpSecret();
    const sealed = createSecretBox([{ id: 'k1', key: randomBytes(32) }]).seal(secret, userId);
    const codes = newRecoveryCodes();
    await store.savePendingTotp(userId, { sealedSecret: sealed, expiresAt: now + 60_000 });
    const recoveryCodeHashes = codes.map((code) => recoveryCodeHash(normaliseRecoveryCode(code)!));
    expect(await store.activateTotp(userId, { sealedSecret: sealed, recoveryCodeHashes, step: 1, nowMs: now })).toBe(true);
    await store.addPasskey(userId, { id: 'pk', publicKey: 'key', counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, createdAt: now }, 5);
    expect(await store.usePasskey(userId, 'pk', 0, now, { digest: 'challenge-digest', expiresAt: now + 60_000 })).toBe('used');

    const stored = await everyRow();
    expect(stored).toContain(sealed);
    expect(stored).not.toContain(secret);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(normaliseRecoveryCode(code));
    }

    expect(await store.removeAll(userId)).toBe(2);
    expect(await everyRow()).toBe(TABLES.map(() => '[]').join('\n'));
  });

  it(`spends a recovery code once and claims a step once when ${RACERS} requests race through two instances`, async () => {
    const other = createPostgresPool({ url: schema.url, poolSize: 4 });
    try {
      const instances = [createPostgresSecondFactorStore({ postgres: schema.pool }), createPostgresSecondFactorStore({ postgres: other })];
      const now = Date.now();
      const userId = newUserId(now);
      await instances[0].savePendingTotp(userId, { sealedSecret: 'sealed', expiresAt: now + 60_000 });
      expect(await instances[1].activateTotp(userId, { sealedSecret: 'sealed', recoveryCodeHashes: ['rc-1', 'rc-2'], step: 1_000, nowMs: now })).toBe(true);

      const racing = <T>(call: (index: number) => Promise<T>) => Promise.all(Array.from({ length: RACERS }, (_, index) => call(index)));
      const spent = await racing((index) => instances[index % 2].spendRecoveryCode(userId, 'rc-1'));
      const claimed = await racing((index) => instances[index % 2].claimTotpStep(userId, 1_001));
      const added = await racing((index) =>
        instances[index % 2].addPasskey(userId, { id: `pk-${index}`, publicKey: 'key', counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, createdAt: now + index }, 3),
      );

      expect(spent.filter(Boolean)).toEqual([true]);
      expect(claimed.filter(Boolean)).toEqual([true]);
      expect(added.filter(Boolean)).toHaveLength(3);
      const read = await instances[1].read(userId);
      expect(read.recoveryCodesLeft).toBe(1);
      expect(read.passkeys).toHaveLength(3);
    } finally {
      await other.end();
    }
  });
});
