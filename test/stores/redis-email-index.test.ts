import { createHash } from 'node:crypto';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { usernameSkeleton } from '../../src/users/confusable-skeleton';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { EmailTakenError } from '../../src/users/user-store';
import { clusterClient, keysWithPrefix, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';

function user(username: string, extra: Partial<UserRecord> = {}, createdAt = Date.now()): UserRecord {
  return { id: newUserId(createdAt), username, passwordHash: 'opaque-hash', authorities: [], disabled: false, createdAt, ...extra };
}

/** The address index as Redis holds it; two API instances are two connections. */
describe('the email address index in Redis', () => {
  const instanceA = clusterClient();
  const instanceB = clusterClient();

  afterAll(async () => {
    await instanceA.quit();
    await instanceB.quit();
  });

  function stores() {
    const prefix = uniqueKeyPrefix();
    const keys = createRedisKeys(prefix);
    const userKeys = (holder: UserRecord, email = holder.email) =>
      [
        keys.user(holder.id),
        keys.username(holder.username),
        keys.usernameSkeleton(usernameSkeleton(holder.username)),
        ...(email === undefined ? [] : [keys.email(email)]),
      ];
    return {
      prefix,
      keys,
      userKeys,
      a: createRedisUserStore({ redis: instanceA, keys, durability: TEST_DURABILITY }),
      b: createRedisUserStore({ redis: instanceB, keys, durability: TEST_DURABILITY }),
    };
  }

  it('keeps the user id under a key named by the SHA-256 of the address, and the address and its state in the record', async () => {
    const { prefix, keys, userKeys, a } = stores();
    const ada = user('ada', { email: 'ada{u:x}@example.org', emailVerified: false });
    await a.create(ada);

    const key = keys.email('ada{u:x}@example.org');
    expect(key).toBe(`${prefix}email:${createHash('sha256').update('ada{u:x}@example.org').digest('base64url')}`);
    expect(await instanceA.get(key)).toBe(ada.id);
    expect(await instanceA.hmget(keys.user(ada.id), 'email', 'emailVerified')).toEqual(['ada{u:x}@example.org', '0']);
    await a.update(ada.id, { emailVerified: true });
    expect(await instanceA.hget(keys.user(ada.id), 'emailVerified')).toBe('1');
    expect((await keysWithPrefix(instanceA, prefix)).sort()).toEqual([...userKeys(ada), keys.userIndex()].sort());
  });

  it('reads a record written before addresses as having none, and gives it one', async () => {
    const { keys, a } = stores();
    const legacy = user('legacy');
    await instanceA.hset(keys.user(legacy.id), { id: legacy.id, username: 'legacy', passwordHash: 'h', authorities: '[]', disabled: '0', createdAt: String(legacy.createdAt) });

    const read = await a.findById(legacy.id);
    expect(read).toStrictEqual({ ...legacy, passwordHash: 'h' });
    expect(read).not.toHaveProperty('email');
    expect(read).not.toHaveProperty('emailVerified');
    expect(await a.changeEmail(legacy.id, 'legacy@example.org', true)).toMatchObject({ email: 'legacy@example.org', emailVerified: true });
  });

  it('lets one of 20 creates with one address racing on two instances win; each loser releases its name and skeleton and deletes its record', async () => {
    const { prefix, keys, userKeys, a, b } = stores();
    const contenders = Array.from({ length: 20 }, (_, i) => user(`contender${i}`, { email: 'race@example.org', emailVerified: false }, Date.now() + i));

    const outcomes = await Promise.allSettled(contenders.map((contender, i) => (i % 2 === 0 ? a : b).create(contender)));

    const winners = contenders.filter((_, i) => outcomes[i].status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(EmailTakenError);
    }
    expect((await keysWithPrefix(instanceA, prefix)).sort()).toEqual([...userKeys(winners[0]), keys.userIndex()].sort());
  });

  it("leaves one claim, the record's, and no lock after concurrent changes of one user on two instances", async () => {
    const { prefix, keys, userKeys, a, b } = stores();
    const bea = user('bea', { email: 'bea@example.org', emailVerified: true });
    const other = user('other', { email: 'other@example.org', emailVerified: true });
    for (const holder of [bea, other]) await a.create(holder);
    const addresses = ['bea@example.org', 'bea@work.example', 'bea@home.example'];

    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).changeEmail(bea.id, i % 5 === 4 ? 'other@example.org' : addresses[i % 3], true)),
    );

    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(EmailTakenError);
    }
    const final = await a.findById(bea.id);
    expect(addresses).toContain(final?.email);
    expect((await keysWithPrefix(instanceA, prefix)).sort()).toEqual(
      [...userKeys(bea, final?.email), ...userKeys(other), keys.userIndex()].sort(),
    );
    expect(await b.findByEmail('other@example.org')).toStrictEqual(other);
  });
});
