import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { EmailTakenError, UsernameTakenError, UsernameTooSimilarError, type UserStore } from '../../src/users/user-store';

export interface UserStoreUnderTest {
  readonly store: UserStore;
  /**
   * Writes a user the way the store did before it indexed skeletons, as an existing
   * deployment holds them. Only stores that outlive the process have such users.
   */
  readonly createLegacyUser?: (user: UserRecord) => Promise<void>;
  /**
   * Leaves what a change of address cut off right after its claim leaves: the address
   * claimed for the user, the record without it. Only stores whose operations can be
   * cut off midway have such claims.
   */
  readonly leaveEmailClaim?: (userId: string, email: string) => Promise<void>;
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
  { legacyUsers = false, interruptedChanges = false }: { legacyUsers?: boolean; interruptedChanges?: boolean } = {},
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

    describe('email addresses: one account per address', () => {
      /** Whether nobody holds the address: a new user can be created with it. */
      async function isFree(email: string, createdAt: number): Promise<boolean> {
        const probe = newUser(createdAt, { email, emailVerified: false });
        try {
          await store.create(probe);
        } catch (error) {
          if (error instanceof EmailTakenError) return false;
          throw error;
        }
        return (await store.findByEmail(email))?.id === probe.id;
      }

      it('finds a user created with an address by it, with the address and its state as stored', async () => {
        const unverified = newUser(now, { email: 'zoë.o-brien@bücher.example', emailVerified: false });
        const verified = newUser(now + 1, { email: 'ada@example.org', emailVerified: true });
        for (const user of [unverified, verified]) await store.create(user);

        for (const user of [unverified, verified]) {
          expect(await store.findById(user.id)).toStrictEqual(user);
          expect(await store.findByEmail(user.email as string)).toStrictEqual(user);
        }
        expect(await store.findByEmail('nobody@example.org')).toBeUndefined();
      });

      it('claims no address for a user created without one', async () => {
        const user = newUser(now);
        await store.create(user);

        expect(await store.findById(user.id)).toStrictEqual(user);
        expect(await store.findByEmail(`${user.username}@example.org`)).toBeUndefined();
        expect(await isFree(`${user.username}@example.org`, now + 1)).toBe(true);
      });

      it('refuses a second user with a taken address, keeps the first, and leaves nothing of the second behind', async () => {
        const first = newUser(now, { username: 'alice', email: 'shared@example.org', emailVerified: true });
        const second = newUser(now + 1, { username: 'bob', email: 'shared@example.org', emailVerified: false });
        await store.create(first);

        const refusal = await store.create(second).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(EmailTakenError);
        expect(refusal).toMatchObject({ email: 'shared@example.org' });

        expect(await store.findByEmail('shared@example.org')).toStrictEqual(first);
        expect(await store.findById(second.id)).toBeUndefined();
        expect(await store.findByUsername('bob')).toBeUndefined();
        expect((await store.list(10)).nodes).toStrictEqual([first]);
        // Its name and the name's skeleton were released: another account can have a name that looks like it.
        const again = newUser(now + 2, { username: 'b0b' });
        await store.create(again);
        expect(await store.findByUsername('b0b')).toStrictEqual(again);
      });

      it('lets exactly one of 20 concurrent creates with one address win, and the losers leave nothing behind', async () => {
        const contenders = Array.from({ length: 20 }, (_, i) => newUser(now + i, { username: `racer${i}`, email: 'race@example.org', emailVerified: false }));

        const results = await Promise.allSettled(contenders.map((user) => store.create(user)));

        const winners = contenders.filter((_, i) => results[i].status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmailTakenError);
        }
        expect(await store.findByEmail('race@example.org')).toStrictEqual(winners[0]);
        expect((await store.list(50)).nodes).toStrictEqual([winners[0]]);
        for (const [i, loser] of contenders.filter((user) => user !== winners[0]).entries()) {
          expect(await store.findByUsername(loser.username)).toBeUndefined();
          await store.create(newUser(now + 100 + i, { username: loser.username }));
        }
      });

      it('lets a user that already holds its address be created again (the same account racing itself)', async () => {
        const user = newUser(now, { email: 'self@example.org', emailVerified: false });
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.create(user)));
        expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
        expect(await store.findByEmail('self@example.org')).toStrictEqual(user);
        expect((await store.list(10)).nodes).toStrictEqual([user]);
      });

      it('sets emailVerified through update, keeping the address', async () => {
        const user = newUser(now, { email: 'carol@example.org', emailVerified: false });
        await store.create(user);

        const verified = await store.update(user.id, { emailVerified: true });
        expect(verified).toStrictEqual({ ...user, emailVerified: true });
        expect(await store.findByEmail('carol@example.org')).toStrictEqual(verified);
        expect(await store.update(user.id, { emailVerified: false })).toStrictEqual(user);
      });

      it('marks an address verified only while the user still has exactly that address', async () => {
        const user = newUser(now, { email: 'dora@example.org', emailVerified: false });
        await store.create(user);
        expect(await store.markEmailVerified(user.id, 'other@example.org')).toBe(false);
        expect((await store.findById(user.id))?.emailVerified).toBe(false);
        await store.changeEmail(user.id, 'dora-new@example.org', false);
        // A link mailed to the old address verifies nothing now.
        expect(await store.markEmailVerified(user.id, 'dora@example.org')).toBe(false);
        expect(await store.markEmailVerified(user.id, 'dora-new@example.org')).toBe(true);
        expect(await store.findById(user.id)).toMatchObject({ email: 'dora-new@example.org', emailVerified: true });
        expect(await store.markEmailVerified(newUser(now).id, 'dora-new@example.org')).toBe(false);
      });

      describe('changeEmail', () => {
        it('moves the user to the new address with its state, returns the record, and releases the old address', async () => {
          const user = newUser(now, { email: 'old@example.org', emailVerified: true });
          await store.create(user);

          const changed = await store.changeEmail(user.id, 'new@example.org', false);

          const expected = { ...user, email: 'new@example.org', emailVerified: false };
          expect(changed).toStrictEqual(expected);
          expect(await store.findById(user.id)).toStrictEqual(expected);
          expect(await store.findByEmail('new@example.org')).toStrictEqual(expected);
          expect(await store.findByUsername(user.username)).toStrictEqual(expected);
          expect(await store.findByEmail('old@example.org')).toBeUndefined();
          expect(await isFree('old@example.org', now + 1)).toBe(true);
        });

        it('gives an address to a user that had none', async () => {
          const user = newUser(now);
          await store.create(user);

          const expected = { ...user, email: 'first@example.org', emailVerified: true };
          expect(await store.changeEmail(user.id, 'first@example.org', true)).toStrictEqual(expected);
          expect(await store.findByEmail('first@example.org')).toStrictEqual(expected);
        });

        it("refuses another user's address with EmailTakenError and changes neither user", async () => {
          const holder = newUser(now, { email: 'taken@example.org', emailVerified: true });
          const other = newUser(now + 1, { email: 'mine@example.org', emailVerified: true });
          for (const user of [holder, other]) await store.create(user);

          const refusal = await store.changeEmail(other.id, 'taken@example.org', false).catch((error: unknown) => error);
          expect(refusal).toBeInstanceOf(EmailTakenError);
          expect(refusal).toMatchObject({ email: 'taken@example.org' });

          expect(await store.findByEmail('taken@example.org')).toStrictEqual(holder);
          expect(await store.findByEmail('mine@example.org')).toStrictEqual(other);
          expect(await store.findById(other.id)).toStrictEqual(other);
        });

        it("accepts the user's own address again, changing only its state", async () => {
          const user = newUser(now, { email: 'same@example.org', emailVerified: false });
          await store.create(user);

          const expected = { ...user, emailVerified: true };
          expect(await store.changeEmail(user.id, 'same@example.org', true)).toStrictEqual(expected);
          expect(await store.findByEmail('same@example.org')).toStrictEqual(expected);
        });

        it('returns undefined for an unknown user, and neither creates a record nor claims the address', async () => {
          await store.create(newUser(now));
          const unknown = newUserId(now + 1);

          expect(await store.changeEmail(unknown, 'ghost@example.org', true)).toBeUndefined();

          expect(await store.findById(unknown)).toBeUndefined();
          expect(await store.findByEmail('ghost@example.org')).toBeUndefined();
          expect((await store.list(10)).totalCount).toBe(1);
          expect(await isFree('ghost@example.org', now + 2)).toBe(true);
        });

        it('lets exactly one of 20 users racing for one address have it', async () => {
          const users = Array.from({ length: 20 }, (_, i) => newUser(now + i));
          for (const user of users) await store.create(user);

          const results = await Promise.allSettled(users.map((user) => store.changeEmail(user.id, 'prize@example.org', true)));

          const winners = users.filter((_, i) => results[i].status === 'fulfilled');
          expect(winners).toHaveLength(1);
          for (const result of results) {
            if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmailTakenError);
          }
          expect(await store.findByEmail('prize@example.org')).toStrictEqual({ ...winners[0], email: 'prize@example.org', emailVerified: true });
          for (const loser of users.filter((user) => user !== winners[0])) expect(await store.findById(loser.id)).toStrictEqual(loser);
        });

        it("leaves exactly the record's address claimed after concurrent changes of one user, back to its first address too", async () => {
          const addresses = ['home@example.org', 'work@example.org', 'spare@example.org', 'other@example.org'];
          const user = newUser(now, { email: addresses[0], emailVerified: true });
          await store.create(user);

          const changes = Array.from({ length: 20 }, (_, i) => store.changeEmail(user.id, addresses[i % addresses.length], i % 2 === 0));
          const results = await Promise.all(changes);

          const final = await store.findById(user.id);
          expect(results.map((result) => result?.id)).toEqual(results.map(() => user.id));
          expect(addresses).toContain(final?.email);
          expect(await store.findByEmail(final?.email as string)).toStrictEqual(final);
          for (const [i, address] of addresses.filter((address) => address !== final?.email).entries()) {
            expect(await store.findByEmail(address)).toBeUndefined();
            expect(await isFree(address, now + 1 + i)).toBe(true);
          }
        });
      });

      if (interruptedChanges) {
        it("finds nobody by a claim its user's record does not carry, keeps the address from others, and lets the user take it", async () => {
          const user = newUser(now, { email: 'current@example.org', emailVerified: true });
          await store.create(user);
          await underTest.leaveEmailClaim?.(user.id, 'abandoned@example.org');

          expect(await store.findByEmail('abandoned@example.org')).toBeUndefined();
          await expect(store.create(newUser(now + 1, { email: 'abandoned@example.org' }))).rejects.toBeInstanceOf(EmailTakenError);

          const expected = { ...user, email: 'abandoned@example.org', emailVerified: false };
          expect(await store.changeEmail(user.id, 'abandoned@example.org', false)).toStrictEqual(expected);
          expect(await store.findByEmail('abandoned@example.org')).toStrictEqual(expected);
          expect(await isFree('current@example.org', now + 2)).toBe(true);
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
