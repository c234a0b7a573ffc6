import { createHash } from 'node:crypto';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { usernameSkeleton } from '../../src/users/confusable-skeleton';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { UsernameTooSimilarError } from '../../src/users/user-store';
import { clusterClient, keysWithPrefix, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';

function user(username: string, createdAt = Date.now()): UserRecord {
  return { id: newUserId(createdAt), username, passwordHash: 'opaque-hash', authorities: [], disabled: false, createdAt };
}

/** The skeleton index as Redis holds it; two API instances are two connections. */
describe('the username skeleton index in Redis', () => {
  const instanceA = clusterClient();
  const instanceB = clusterClient();

  afterAll(async () => {
    await instanceA.quit();
    await instanceB.quit();
  });

  function stores() {
    const prefix = uniqueKeyPrefix();
    const keys = createRedisKeys(prefix);
    return {
      prefix,
      keys,
      a: createRedisUserStore({ redis: instanceA, keys, durability: TEST_DURABILITY }),
      b: createRedisUserStore({ redis: instanceB, keys, durability: TEST_DURABILITY }),
    };
  }

  it('keeps the user id under a key named by the SHA-256 of the skeleton, never the skeleton itself', async () => {
    const { prefix, keys, a } = stores();
    const admin = user('admin');
    await a.create(admin);

    const skeleton = usernameSkeleton('admin');
    const key = keys.usernameSkeleton(skeleton);
    expect(key).toBe(`${prefix}username-skeleton:${createHash('sha256').update(skeleton).digest('base64url')}`);
    expect(await instanceA.get(key)).toBe(admin.id);
    expect((await keysWithPrefix(instanceA, prefix)).sort()).toEqual(
      [keys.user(admin.id), keys.username('admin'), key, keys.userIndex()].sort(),
    );
  });

  it('lets one of 20 look-alikes racing on two instances win; each loser releases its name and deletes its record', async () => {
    const { prefix, keys, a, b } = stores();
    const names = ['a', 'а', 'ɑ', 'α'].flatMap((first) => ['l', '1', 'ⅼ', 'Ɩ', 'ǀ'].map((l) => `${first}${l}ice`));
    const contenders = names.map((name, i) => user(name, Date.now() + i));

    const outcomes = await Promise.allSettled(contenders.map((contender, i) => (i % 2 === 0 ? a : b).create(contender)));

    const winners = contenders.filter((_, i) => outcomes[i].status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(UsernameTooSimilarError);
    }
    const [winner] = winners;
    expect((await keysWithPrefix(instanceA, prefix)).sort()).toEqual(
      [keys.user(winner.id), keys.username(winner.username), keys.usernameSkeleton(usernameSkeleton(winner.username)), keys.userIndex()].sort(),
    );
  });

  it('does not refuse a user whose skeleton key already names it (a create cut off after claiming it)', async () => {
    const { keys, a } = stores();
    const carol = user('carol');
    await instanceA.set(keys.usernameSkeleton(usernameSkeleton('carol')), carol.id);

    await a.create(carol);

    expect(await a.findByUsername('carol')).toStrictEqual(carol);
    expect((await a.list(10)).nodes).toStrictEqual([carol]);
  });

  it('backfills from two instances at once, each skeleton claimed once, and is idempotent', async () => {
    const { keys, a, b } = stores();
    const legacy = Array.from({ length: 25 }, (_, i) => user(`member${i}`, Date.now() + i));
    for (const member of legacy) {
      await instanceA.hset(keys.user(member.id), { id: member.id, username: member.username, passwordHash: 'h', authorities: '[]', disabled: '0', createdAt: String(member.createdAt) });
      await instanceA.set(keys.username(member.username), member.id);
      await instanceA.zadd(keys.userIndex(), 0, member.id);
    }

    const [fromA, fromB] = await Promise.all([a.backfillUsernameSkeletons(4), b.backfillUsernameSkeletons(6)]);

    expect(fromA.claimed + fromB.claimed).toBe(25);
    for (const member of legacy) expect(await instanceA.get(keys.usernameSkeleton(usernameSkeleton(member.username)))).toBe(member.id);
    expect(await a.backfillUsernameSkeletons()).toEqual({ users: 25, claimed: 0, lookAlikes: [] });
    await expect(b.create(user('rnember3'))).rejects.toBeInstanceOf(UsernameTooSimilarError);
  });
});
