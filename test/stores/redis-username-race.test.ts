import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { UsernameTakenError } from '../../src/users/user-store';
import { clusterClient, keysWithPrefix, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';

/** Two API instances are two connections: ordering on one connection cannot hide a race here. */
describe('one username claimed by two instances at once', () => {
  const instanceA = clusterClient();
  const instanceB = clusterClient();

  afterAll(async () => {
    await instanceA.quit();
    await instanceB.quit();
  });

  it('lets exactly one account have the name, and the loser leaves no record behind', async () => {
    const prefix = uniqueKeyPrefix();
    const keys = createRedisKeys(prefix);
    const stores = [createRedisUserStore({ redis: instanceA, keys, durability: TEST_DURABILITY }), createRedisUserStore({ redis: instanceB, keys, durability: TEST_DURABILITY })];
    const candidates: UserRecord[] = Array.from({ length: 20 }, (_, i) => ({
      id: newUserId(Date.now()),
      username: 'bob',
      passwordHash: `hash-${i}`,
      authorities: [],
      disabled: false,
      createdAt: Date.now(),
    }));

    const outcomes = await Promise.allSettled(candidates.map((user, i) => stores[i % 2].create(user)));
    const winners = candidates.filter((_, i) => outcomes[i].status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(UsernameTakenError);
    }

    expect((await stores[0].findByUsername('bob'))?.id).toBe(winners[0].id);
    expect((await stores[1].list(50)).nodes.map((user) => user.id)).toEqual([winners[0].id]);
    const userRecords = (await keysWithPrefix(instanceA, prefix)).filter((key) => key.endsWith(':user'));
    expect(userRecords).toEqual([keys.user(winners[0].id)]);
  });
});
