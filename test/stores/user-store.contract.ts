import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { UsernameTakenError, UsernameTooSimilarError, type UserStore } from '../../src/users/user-store';

export interface UserStoreUnderTest {
  readonly store: UserStore;
  /**
   * Writes a user the way the store did before it indexed skeletons, as an existing
   * deployment holds them. Only stores that outlive the process have such users.
   */
  readonly createLegacyUser?: (user: UserRecord) => Promise<void>;
  close(): Promise<void>;
}

/** Twenty different names that all look like `paypal`: Latin, Cyrillic and Latin-alpha a, Cyrillic у, digit 1. */
const PAYPAL_LOOK_ALIKES = ['a', 'а', 'ɑ']
  .flatMap((a1) => ['y', 'у'].flatMap((y) => ['a', 'а', 'ɑ'].flatMap((a2) => ['l', '1'].map((l) => `p${a1}${y}p${a2}${l}`))))
  .slice(0, 20);

function newUser(createdAt: number, extra: Partial<UserRecord> = {}): UserRecord {
  const id = newUserId(createdAt);
  return {
    id,
    username: `user-${id}`,
    passwordHash: `opaque-hash-of-${id}`,
    authorities: ['orders:read'],
    disabled: false,
    createdAt,
    ...extra,
  };
}

/**
 * One suite, run with identical assertions against every UserStore. `makeStore`
 * is called for every test and must return an empty store (for Redis: a fresh key
 * prefix, since the user index is shared per prefix).
 */
export function describeUserStoreContract(
  name: string,
  makeStore: () => Promise<UserStoreUnderTest>,
  { legacyUsers = false }: { legacyUsers?: boolean } = {},
): void {
  describe(`UserStore contract: ${name}`, () => {
    let store: UserStore;
    let underTest: UserStoreUnderTest;
    let now: number;

    beforeEach(async () => {
      underTest = await makeStore();
      store = underTest.store;
      now = Date.now();
    });

    afterEach(async () => {
      await underTest.close();
    });

    describe('create and find', () => {
      it('finds a created user by id and by username, exactly as it was stored', async () => {
        const user = newUser(now, {
          username: 'zoë.o-brien@example.org',
          authorities: ['ROLE_ADMIN', 'orders:read', 'orders:write'],
        });
        await store.create(user);

        expect(await store.findById(user.id)).toStrictEqual(user);
        expect(await store.findByUsername(user.username)).toStrictEqual(user);
      });

      it('keeps a disabled flag and an empty authority list', async () => {
        const user = newUser(now, { authorities: [], disabled: true });
        await store.create(user);
        expect(await store.findById(user.id)).toStrictEqual(user);
      });

      it('finds nothing for an unknown id or username', async () => {
        await store.create(newUser(now));
        expect(await store.findById(newUserId(now))).toBeUndefined();
        expect(await store.findByUsername('nobody')).toBeUndefined();
      });

      it('refuses a second user with a taken username and keeps the first', async () => {
        const first = newUser(now, { username: 'alice' });
        const second = newUser(now + 1, { username: 'alice', authorities: ['ROLE_ADMIN'] });
        await store.create(first);

        await expect(store.create(second)).rejects.toBeInstanceOf(UsernameTakenError);

        expect(await store.findByUsername('alice')).toStrictEqual(first);
        expect(await store.findById(second.id)).toBeUndefined();
        expect((await store.list(10)).totalCount).toBe(1);
      });

      it('lets exactly one of 20 concurrent creates of one username win', async () => {
        const contenders = Array.from({ length: 20 }, (_, i) => newUser(now + i, { username: 'race' }));

        const results = await Promise.allSettled(contenders.map((user) => store.create(user)));

        const winners = contenders.filter((_, i) => results[i].status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(UsernameTakenError);
        }
        expect(await store.findByUsername('race')).toStrictEqual(winners[0]);
        const page = await store.list(50);
        expect(page.nodes).toStrictEqual([winners[0]]);
        expect(page.totalCount).toBe(1);
      });
    });

    describe('look-alike usernames: one account per confusable skeleton', () => {
      it('refuses a user whose name looks like an existing one, and keeps the first', async () => {
        const first = newUser(now, { username: 'admin' });
        const lookAlike = newUser(now + 1, { username: 'admın' });
        await store.create(first);

        const refusal = store.create(lookAlike);
        await expect(refusal).rejects.toBeInstanceOf(UsernameTooSimilarError);
        // Callers that only know "taken" still refuse it.
        await expect(refusal).rejects.toBeInstanceOf(UsernameTakenError);

        expect(await store.findByUsername('admin')).toStrictEqual(first);
        expect(await store.findByUsername('admın')).toBeUndefined();
        expect(await store.findById(lookAlike.id)).toBeUndefined();
        expect((await store.list(10)).nodes).toStrictEqual([first]);
      });

      it('tells a taken name from a look-alike', async () => {
        await store.create(newUser(now, { username: 'bob' }));
        const taken = await store.create(newUser(now + 1, { username: 'bob' })).catch((error: unknown) => error);
        expect(taken).toBeInstanceOf(UsernameTakenError);
        expect(taken).not.toBeInstanceOf(UsernameTooSimilarError);
      });

      it('accepts names that merely share letters', async () => {
        for (const [i, username] of ['admin', 'admins', 'admin2', 'adm'].entries()) await store.create(newUser(now + i, { username }));
        expect((await store.list(10)).totalCount).toBe(4);
      });

      it('lets exactly one of 20 concurrent look-alikes win, and the losers leave nothing behind', async () => {
        expect(new Set(PAYPAL_LOOK_ALIKES).size).toBe(20);
        const contenders = PAYPAL_LOOK_ALIKES.map((username, i) => newUser(now + i, { username }));

        const results = await Promise.allSettled(contenders.map((user) => store.create(user)));

        const winners = contenders.filter((_, i) => results[i].status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(UsernameTooSimilarError);
        }
        for (const loser of contenders.filter((user) => user !== winners[0])) {
          expect(await store.findByUsername(loser.username)).toBeUndefined();
        }
        expect((await store.list(50)).nodes).toStrictEqual([winners[0]]);
      });

      it('lets a user that already holds its skeleton be created again (the same account racing itself)', async () => {
        const user = newUser(now, { username: 'remote-carol' });
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.create(user)));
        expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
        await store.create(user);
        expect((await store.list(10)).nodes).toStrictEqual([user]);
      });
    });

    describe('backfilling skeletons of existing users', () => {
      it('reports every user and claims nothing when every user already holds its skeleton', async () => {
        for (let i = 0; i < 3; i += 1) await store.create(newUser(now + i));
        expect(await store.backfillUsernameSkeletons()).toEqual({ users: 3, claimed: 0, lookAlikes: [] });
      });

      it('handles an empty store', async () => {
        expect(await store.backfillUsernameSkeletons()).toEqual({ users: 0, claimed: 0, lookAlikes: [] });
      });

      // Only a store that outlives the process can hold users from before the index.
      if (legacyUsers) {
        it('claims the skeletons of users created before skeletons existed, the oldest keeping a shared one', async () => {
          const bob = newUser(now, { username: 'bob' });
          const b0b = newUser(now + 1, { username: 'b0b' });
          const carol = newUser(now + 2, { username: 'carol' });
          // Written newest first, to show the age of the account decides, not the order of writing.
          for (const user of [carol, b0b, bob]) await underTest.createLegacyUser?.(user);

          expect(await store.backfillUsernameSkeletons(2)).toEqual({ users: 3, claimed: 2, lookAlikes: [b0b.id] });

          await expect(store.create(newUser(now + 3, { username: 'bοb' }))).rejects.toBeInstanceOf(UsernameTooSimilarError);
          await expect(store.create(newUser(now + 4, { username: 'caroI' }))).rejects.toBeInstanceOf(UsernameTooSimilarError);
          // The look-alike that predates the index keeps its account.
          expect(await store.findByUsername('b0b')).toStrictEqual(b0b);
          expect(await store.backfillUsernameSkeletons()).toEqual({ users: 3, claimed: 0, lookAlikes: [b0b.id] });
        });

        it('claims each skeleton once when several instances backfill at the same time', async () => {
          const users = Array.from({ length: 30 }, (_, i) => newUser(now + i, { username: i % 3 === 0 ? `u${i}` : `u${i}x` }));
          const lookAlikeOfFirst = newUser(now + 100, { username: 'uo' });
          for (const user of [...users, lookAlikeOfFirst]) await underTest.createLegacyUser?.(user);

          // Different page sizes, so the instances are on different pages when they meet.
          const reports = await Promise.all([3, 7, 10, 200].map((pageSize) => store.backfillUsernameSkeletons(pageSize)));

          expect(reports.reduce((sum, report) => sum + report.claimed, 0)).toBe(30);
          for (const report of reports) {
            expect(report.users).toBe(31);
            expect(report.lookAlikes).toEqual([lookAlikeOfFirst.id]);
          }
        });
      }
    });

    describe('update', () => {
      it('changes only the given fields and returns the updated user', async () => {
        const user = newUser(now, { authorities: ['orders:read'] });
        await store.create(user);

        const withAuthorities = await store.update(user.id, { authorities: ['ROLE_ADMIN'] });
        expect(withAuthorities).toStrictEqual({ ...user, authorities: ['ROLE_ADMIN'] });

        const disabled = await store.update(user.id, { disabled: true });
        expect(disabled).toStrictEqual({ ...user, authorities: ['ROLE_ADMIN'], disabled: true });

        const rehashed = await store.update(user.id, { passwordHash: 'another-opaque-hash' });
        const expected = { ...user, authorities: ['ROLE_ADMIN'], disabled: true, passwordHash: 'another-opaque-hash' };
        expect(rehashed).toStrictEqual(expected);

        expect(await store.findById(user.id)).toStrictEqual(expected);
        expect(await store.findByUsername(user.username)).toStrictEqual(expected);
      });

      it('can enable a disabled user again and clear the authorities', async () => {
        const user = newUser(now, { disabled: true, authorities: ['ROLE_ADMIN'] });
        await store.create(user);

        expect(await store.update(user.id, { disabled: false, authorities: [] })).toStrictEqual({
          ...user,
          disabled: false,
          authorities: [],
        });
      });

      it('returns undefined for an unknown id and never creates a record', async () => {
        await store.create(newUser(now));
        const unknown = newUserId(now + 1);

        expect(await store.update(unknown, { disabled: true, authorities: ['ROLE_ADMIN'] })).toBeUndefined();

        expect(await store.findById(unknown)).toBeUndefined();
        const page = await store.list(50);
        expect(page.totalCount).toBe(1);
        expect(page.nodes.map((node) => node.id)).not.toContain(unknown);
      });
    });

    describe('list', () => {
      it('pages through the users oldest first with endCursor, hasNextPage and totalCount', async () => {
        const users = Array.from({ length: 5 }, (_, i) => newUser(now + i * 10));
        // Inserted out of order: the list follows age, not insertion.
        for (const index of [3, 0, 4, 1, 2]) await store.create(users[index]);

        const first = await store.list(2);
        expect(first.nodes).toStrictEqual(users.slice(0, 2));
        expect(first.totalCount).toBe(5);
        expect(first.hasNextPage).toBe(true);
        expect(first.endCursor).not.toBeNull();

        const second = await store.list(2, first.endCursor ?? undefined);
        expect(second.nodes).toStrictEqual(users.slice(2, 4));
        expect(second.totalCount).toBe(5);
        expect(second.hasNextPage).toBe(true);

        const third = await store.list(2, second.endCursor ?? undefined);
        expect(third.nodes).toStrictEqual(users.slice(4));
        expect(third.totalCount).toBe(5);
        expect(third.hasNextPage).toBe(false);

        const past = await store.list(2, third.endCursor ?? undefined);
        expect(past).toEqual({ nodes: [], totalCount: 5, endCursor: null, hasNextPage: false });
      });

      it('says there is no next page when the page ends exactly at the last user', async () => {
        const users = Array.from({ length: 4 }, (_, i) => newUser(now + i * 10));
        for (const user of users) await store.create(user);

        const all = await store.list(4);
        expect(all.nodes).toStrictEqual(users);
        expect(all.hasNextPage).toBe(false);

        const firstHalf = await store.list(2);
        const secondHalf = await store.list(2, firstHalf.endCursor ?? undefined);
        expect(secondHalf.nodes).toStrictEqual(users.slice(2));
        expect(secondHalf.hasNextPage).toBe(false);
      });

      it('includes users created after a cursor was handed out, on later pages', async () => {
        const early = newUser(now);
        await store.create(early);
        const page = await store.list(1);
        expect(page.hasNextPage).toBe(false);

        const late = newUser(now + 10);
        await store.create(late);
        const next = await store.list(1, page.endCursor ?? undefined);
        expect(next.nodes).toStrictEqual([late]);
        expect(next.totalCount).toBe(2);
      });

      it('lists an empty store as an empty page', async () => {
        expect(await store.list(10)).toEqual({ nodes: [], totalCount: 0, endCursor: null, hasNextPage: false });
      });
    });
  });
}
