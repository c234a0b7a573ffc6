import { newUserId } from '../../src/ids';
import type { UserRecord } from '../../src/users/user';
import { UsernameTakenError, type UserStore } from '../../src/users/user-store';

export interface UserStoreUnderTest {
  readonly store: UserStore;
  close(): Promise<void>;
}

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
export function describeUserStoreContract(name: string, makeStore: () => Promise<UserStoreUnderTest>): void {
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
