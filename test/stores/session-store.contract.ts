import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import type { NewSession, SessionCreation, SessionLimit, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../../src/sessions/session-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { UserStore } from '../../src/users/user-store';

export interface SessionStoreUnderTest {
  readonly store: SessionStore;
  /** The user store the session store reads account status from. */
  readonly users: UserStore;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const TOUCH_INTERVAL = 60_000;

const evictOldest = (max: number): SessionLimit => ({ max, policy: 'evict-oldest' });
const reject = (max: number): SessionLimit => ({ max, policy: 'reject' });

/** A session as a login would make it: created now, last seen now, valid for an hour. */
function newSession(userId: string, createdAt: number, extra: Partial<SessionRecord> = {}): SessionRecord {
  const expiresAt = extra.expiresAt ?? createdAt + HOUR;
  return { id: newSessionId(), userId, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: createdAt, ...extra };
}

/** The record as the store reports it: everything but the refresh token hash. */
function newSessionFields(session: NewSession): SessionRecord {
  const { refreshTokenHash: _hash, ...record } = session;
  return record;
}

function newUser(id: string, createdAt: number, extra: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    username: `user-${id}`,
    passwordHash: `opaque-hash-${id}`,
    authorities: [],
    disabled: false,
    createdAt,
    ...extra,
  };
}

function created(evictedSessionIds: readonly string[] = []): SessionCreation {
  return { status: 'created', evictedSessionIds };
}

const ids = (sessions: readonly SessionRecord[]): string[] => sessions.map((session) => session.id);

/**
 * One suite, run with identical assertions against every SessionStore: the Redis
 * store (cluster and single node) and the in-memory store must not be told apart.
 */
export function describeSessionStoreContract(
  name: string,
  makeStore: () => Promise<SessionStoreUnderTest>,
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;
    let users: UserStore;
    let underTest: SessionStoreUnderTest;
    let userId: string;
    let now: number;

    beforeEach(async () => {
      underTest = await makeStore();
      ({ store, users } = underTest);
      now = Date.now();
      userId = newUserId(now);
    });

    afterEach(async () => {
      await underTest.close();
    });

    /** Creates sessions one after another, each a millisecond after the previous, under the given limit. */
    async function createInOrder(count: number, limit: SessionLimit, user = userId): Promise<SessionRecord[]> {
      const sessions: SessionRecord[] = [];
      for (let i = 0; i < count; i += 1) {
        const session = newSession(user, now + i);
        expect(await store.create(session, limit)).toEqual(created());
        sessions.push(session);
      }
      return sessions;
    }

    describe('create and the cap', () => {
      it('creates sessions within the cap without evicting any', async () => {
        const sessions = await createInOrder(2, evictOldest(3));
        expect(ids(await store.list(userId))).toEqual(ids(sessions).reverse());
      });

      it('evicts the oldest session when a login goes over the cap, and reports it', async () => {
        const [first, second, third] = await createInOrder(3, evictOldest(3));
        const fourth = newSession(userId, now + 10);

        expect(await store.create(fourth, evictOldest(3))).toEqual(created([first.id]));

        expect(ids(await store.list(userId))).toEqual([fourth.id, third.id, second.id]);
        expect((await store.check(userId, first.id, now + 20, TOUCH_INTERVAL)).found).toBe(false);
        expect((await store.check(userId, fourth.id, now + 20, TOUCH_INTERVAL)).found).toBe(true);
      });

      it('keeps evicting the oldest one login after another', async () => {
        const sessions = await createInOrder(3, evictOldest(3));
        const evicted: string[] = [];
        for (let i = 0; i < 3; i += 1) {
          const result = await store.create(newSession(userId, now + 10 + i), evictOldest(3));
          if (result.status !== 'created') throw new Error(`expected a creation, got ${result.status}`);
          evicted.push(...result.evictedSessionIds);
        }
        expect(evicted).toEqual(ids(sessions));
        expect(await store.list(userId)).toHaveLength(3);
      });

      it('after the cap is lowered, the next login evicts every session over it, oldest first', async () => {
        const sessions = await createInOrder(5, evictOldest(0));
        const next = newSession(userId, now + 10);

        // 5 live + 1 new with a cap of 2: the 4 oldest go, in age order.
        expect(await store.create(next, evictOldest(2))).toEqual(created(ids(sessions.slice(0, 4))));

        expect(ids(await store.list(userId))).toEqual([next.id, sessions[4].id]);
        for (const gone of sessions.slice(0, 4)) {
          expect((await store.check(userId, gone.id, now + 20, TOUCH_INTERVAL)).found).toBe(false);
        }
      });

      it('with the reject policy refuses a login over the cap and keeps the existing sessions', async () => {
        const sessions = await createInOrder(3, reject(3));
        const refused = newSession(userId, now + 10);

        expect(await store.create(refused, reject(3))).toEqual({ status: 'limit-reached' });

        expect(await store.list(userId)).toStrictEqual([...sessions].reverse());
        expect((await store.check(userId, refused.id, now + 20, TOUCH_INTERVAL)).found).toBe(false);
      });

      it('with the reject policy accepts a login again once a session is revoked', async () => {
        const [first] = await createInOrder(2, reject(2));
        expect(await store.create(newSession(userId, now + 10), reject(2))).toEqual({ status: 'limit-reached' });

        await store.revoke(userId, first.id);
        const next = newSession(userId, now + 20);
        expect(await store.create(next, reject(2))).toEqual(created());
        expect(ids(await store.list(userId))[0]).toBe(next.id);
      });

      it('treats a cap of 0 as no cap, whatever the policy', async () => {
        const sessions = [...(await createInOrder(8, evictOldest(0)))];
        for (let i = 0; i < 4; i += 1) {
          const session = newSession(userId, now + 100 + i);
          expect(await store.create(session, reject(0))).toEqual(created());
          sessions.push(session);
        }
        expect(ids(await store.list(userId))).toEqual(ids(sessions).reverse());
      });

      it('evicts sessions created in the same millisecond in creation order, not id order', async () => {
        // Ids that sort the opposite way to creation, so an id tie-break would show.
        const sessionIds = Array.from({ length: 6 }, () => newSessionId()).sort().reverse();
        const sessions = sessionIds.map((id) => newSession(userId, now, { id }));

        for (const session of sessions.slice(0, 4)) {
          expect(await store.create(session, evictOldest(4))).toEqual(created());
        }
        expect(await store.create(sessions[4], evictOldest(4))).toEqual(created([sessions[0].id]));
        expect(await store.create(sessions[5], evictOldest(4))).toEqual(created([sessions[1].id]));

        expect(ids(await store.list(userId))).toEqual(ids(sessions.slice(2)).reverse());
      });

      it('refuses a session id that already exists and leaves the existing session as it was', async () => {
        const original = newSession(userId, now, { ip: '192.0.2.1', userAgent: 'original' });
        await store.create(original, evictOldest(5));

        await expect(
          store.create({ ...original, createdAt: now + 5, userAgent: 'intruder' }, evictOldest(5)),
        ).rejects.toThrow();

        expect(await store.list(userId)).toStrictEqual([original]);
      });

      it('keeps each user to their own cap and their own sessions', async () => {
        const otherUser = newUserId(now + 1);
        const mine = await createInOrder(2, evictOldest(2));
        const theirs = await createInOrder(2, evictOldest(2), otherUser);

        const next = newSession(userId, now + 10);
        expect(await store.create(next, evictOldest(2))).toEqual(created([mine[0].id]));

        expect(ids(await store.list(otherUser))).toEqual(ids(theirs).reverse());
        expect(await store.revoke(otherUser, next.id)).toBe(false);
        expect(await store.revokeAll(otherUser)).toBe(2);
        expect(ids(await store.list(userId))).toEqual([next.id, mine[1].id]);
      });
    });

    describe('list', () => {
      it('lists the sessions newest first with every piece of metadata as it was given, and nothing else', async () => {
        const full = newSession(userId, now - 3_000, {
          expiresAt: now + 2 * HOUR,
          lastSeenAt: now - 1_500,
          ip: '2001:db8::1',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0 — «tést» 🦊',
        });
        const ipOnly = newSession(userId, now - 2_000, { expiresAt: now + 3 * HOUR, ip: '203.0.113.7' });
        const bare = newSession(userId, now - 1_000, { expiresAt: now + HOUR + 17, lastSeenAt: now - 999 });

        for (const session of [full, ipOnly, bare]) {
          expect(await store.create(session, evictOldest(5))).toEqual(created());
        }

        expect(await store.list(userId)).toStrictEqual([bare, ipOnly, full]);
      });

      it('lists nothing for a user without sessions', async () => {
        expect(await store.list(userId)).toEqual([]);
      });

      it('never lists or finds a session that has already expired, nor counts it against the cap', async () => {
        const expired = newSession(userId, now - 2 * HOUR, { expiresAt: now - HOUR, lastSeenAt: now - HOUR - 5 });
        await store.record(expired);

        expect(await store.list(userId)).toEqual([]);
        expect((await store.check(userId, expired.id, now, TOUCH_INTERVAL)).found).toBe(false);

        const live = newSession(userId, now);
        expect(await store.create(live, evictOldest(1))).toEqual(created());
        expect(ids(await store.list(userId))).toEqual([live.id]);
      });
    });

    describe('check', () => {
      it('finds a live session and reports the account authorities and disabled flag from the user store', async () => {
        await users.create(newUser(userId, now, { authorities: ['ROLE_ADMIN', 'orders:read'] }));
        const session = newSession(userId, now);
        await store.create(session, evictOldest(5));

        const check = await store.check(userId, session.id, now + 1_000, TOUCH_INTERVAL);

        expect(check.found).toBe(true);
        expect(check.account?.authorities).toEqual(['ROLE_ADMIN', 'orders:read']);
        expect(check.account?.disabled).toBe(false);
      });

      it('sees a change of authorities or a disabled account at the next check', async () => {
        await users.create(newUser(userId, now, { authorities: ['ROLE_ADMIN'] }));
        const session = newSession(userId, now);
        await store.create(session, evictOldest(5));

        await users.update(userId, { authorities: ['orders:read'], disabled: true });
        const check = await store.check(userId, session.id, now + 1_000, TOUCH_INTERVAL);

        expect(check.found).toBe(true);
        expect(check.account?.authorities).toEqual(['orders:read']);
        expect(check.account?.disabled).toBe(true);
      });

      it('reports an unknown or revoked session as not found, still with the account status', async () => {
        await users.create(newUser(userId, now, { authorities: ['orders:read'] }));
        const session = newSession(userId, now);
        await store.create(session, evictOldest(5));
        await store.revoke(userId, session.id);

        for (const sessionId of [newSessionId(), session.id]) {
          const check = await store.check(userId, sessionId, now + 1_000, TOUCH_INTERVAL);
          expect(check.found).toBe(false);
          expect(check.account?.authorities).toEqual(['orders:read']);
          expect(check.account?.disabled).toBe(false);
        }
      });

      it('reports an undefined account when the user has no account record', async () => {
        const session = newSession(userId, now);
        await store.create(session, evictOldest(5));

        expect(await store.check(userId, session.id, now + 1_000, TOUCH_INTERVAL)).toEqual({
          found: true,
          revoked: false,
          allRevokedAt: undefined,
          account: undefined,
        });
        expect(await store.check(userId, newSessionId(), now + 1_000, TOUCH_INTERVAL)).toEqual({
          found: false,
          revoked: false,
          allRevokedAt: undefined,
          account: undefined,
        });
      });

      it('writes lastSeenAt only once it is older than the touch interval', async () => {
        const session = newSession(userId, now);
        await store.create(session, evictOldest(5));

        await store.check(userId, session.id, session.createdAt + 1_000, TOUCH_INTERVAL);
        expect(await store.list(userId)).toStrictEqual([session]);

        await store.check(userId, session.id, session.createdAt + 61_000, TOUCH_INTERVAL);
        expect(await store.list(userId)).toStrictEqual([{ ...session, lastSeenAt: session.createdAt + 61_000 }]);

        // The interval runs from the last write, not from creation.
        await store.check(userId, session.id, session.createdAt + 62_000, TOUCH_INTERVAL);
        expect(await store.list(userId)).toStrictEqual([{ ...session, lastSeenAt: session.createdAt + 61_000 }]);
      });
    });

    describe('rotateRefresh', () => {
      const rotation = (presentedHash: string, nextHash: string, nowMs: number) => ({
        presentedHash,
        nextHash,
        nowMs,
        idleTtlMs: HOUR,
      });

      it('swaps the hash, extends the idle expiry up to the absolute one, and reports the session', async () => {
        const session: NewSession = { ...newSession(userId, now, { absoluteExpiresAt: now + 90 * 60_000 }), refreshTokenHash: 'hash-1' };
        await store.create(session, evictOldest(5));

        const first = await store.rotateRefresh(userId, session.id, rotation('hash-1', 'hash-2', now + 1_000));
        expect(first).toEqual({
          status: 'rotated',
          session: { ...newSessionFields(session), expiresAt: now + 1_000 + HOUR, lastSeenAt: now + 1_000 },
        });
        const second = await store.rotateRefresh(userId, session.id, rotation('hash-2', 'hash-3', now + 60 * 60_000));
        expect(second.status === 'rotated' && second.session.expiresAt).toBe(now + 90 * 60_000);
        expect(await store.list(userId)).toEqual([second.status === 'rotated' && second.session]);
      });

      it('revokes the session when an already used hash comes back, and remembers the revocation', async () => {
        const session: NewSession = { ...newSession(userId, now), refreshTokenHash: 'hash-1' };
        await store.create(session, evictOldest(5));
        await store.rotateRefresh(userId, session.id, rotation('hash-1', 'hash-2', now + 1_000));

        expect(await store.rotateRefresh(userId, session.id, rotation('hash-1', 'hash-x', now + 2_000))).toEqual({ status: 'reused' });
        expect(await store.list(userId)).toEqual([]);
        expect(await store.rotateRefresh(userId, session.id, rotation('hash-2', 'hash-y', now + 3_000))).toEqual({ status: 'unknown' });
        expect(await store.check(userId, session.id, now + 3_000, TOUCH_INTERVAL)).toMatchObject({ found: false, revoked: true });
      });

      it('answers unknown for a hash never issued, leaving the session alone, and for a session without a refresh token', async () => {
        const session: NewSession = { ...newSession(userId, now), refreshTokenHash: 'hash-1' };
        await store.create(session, evictOldest(5));
        expect(await store.rotateRefresh(userId, session.id, rotation('forged', 'hash-x', now + 1_000))).toEqual({ status: 'unknown' });
        expect(ids(await store.list(userId))).toEqual([session.id]);

        const recorded = newSession(userId, now + 5);
        await store.record(recorded);
        expect(await store.rotateRefresh(userId, recorded.id, rotation('', 'hash-x', now + 1_000))).toEqual({ status: 'unknown' });
        expect(await store.rotateRefresh(userId, newSessionId(), rotation('hash-1', 'hash-x', now + 1_000))).toEqual({ status: 'unknown' });
      });

      it('lets exactly one of concurrent rotations with one hash win', async () => {
        const session: NewSession = { ...newSession(userId, now), refreshTokenHash: 'hash-1' };
        await store.create(session, evictOldest(5));
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.rotateRefresh(userId, session.id, rotation('hash-1', `next-${i}`, now + 1_000))),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'rotated')).toHaveLength(1);
      });
    });

    describe('remembering revocations for rollout mode', () => {
      it('tells a revoked or evicted session from one never seen', async () => {
        const [first, second] = await createInOrder(2, evictOldest(2));
        const third = newSession(userId, now + 10);
        await store.create(third, evictOldest(2));
        await store.revoke(userId, second.id);

        for (const gone of [first, second]) {
          expect(await store.check(userId, gone.id, now + 20, TOUCH_INTERVAL)).toMatchObject({ found: false, revoked: true });
        }
        expect(await store.check(userId, newSessionId(), now + 20, TOUCH_INTERVAL)).toMatchObject({
          found: false,
          revoked: false,
          allRevokedAt: undefined,
        });
      });

      it('remembers when all sessions were revoked, for sessions no list could name', async () => {
        const [kept, other] = await createInOrder(2, evictOldest(5));
        const before = Date.now();
        await store.revokeAll(userId, kept.id);

        const unknown = await store.check(userId, newSessionId(), now + 20, TOUCH_INTERVAL);
        expect(unknown.found).toBe(false);
        expect(unknown.allRevokedAt).toBeGreaterThanOrEqual(before - 60_000);
        expect(unknown.allRevokedAt).toBeLessThanOrEqual(Date.now());
        expect(await store.check(userId, other.id, now + 20, TOUCH_INTERVAL)).toMatchObject({ found: false, revoked: true });
        expect(await store.check(userId, kept.id, now + 20, TOUCH_INTERVAL)).toMatchObject({ found: true, revoked: false });
      });
    });

    describe('revoke and revokeAll', () => {
      it('revokes one session once: true the first time, false the second, and leaves the others', async () => {
        const [first, second] = await createInOrder(2, evictOldest(5));

        expect(await store.revoke(userId, first.id)).toBe(true);
        expect(await store.revoke(userId, first.id)).toBe(false);

        expect(ids(await store.list(userId))).toEqual([second.id]);
        expect((await store.check(userId, first.id, now + 1_000, TOUCH_INTERVAL)).found).toBe(false);
        expect((await store.check(userId, second.id, now + 1_000, TOUCH_INTERVAL)).found).toBe(true);
      });

      it('answers false when revoking a session of a user who has none', async () => {
        expect(await store.revoke(userId, newSessionId())).toBe(false);
      });

      it('revokes every session and returns how many', async () => {
        const sessions = await createInOrder(3, evictOldest(5));

        expect(await store.revokeAll(userId)).toBe(3);

        expect(await store.list(userId)).toEqual([]);
        for (const session of sessions) {
          expect((await store.check(userId, session.id, now + 1_000, TOUCH_INTERVAL)).found).toBe(false);
        }
        expect(await store.revokeAll(userId)).toBe(0);
      });

      it('revokes every session but the one to keep', async () => {
        const [first, kept, third] = await createInOrder(3, evictOldest(5));

        expect(await store.revokeAll(userId, kept.id)).toBe(2);

        expect(await store.list(userId)).toStrictEqual([kept]);
        expect((await store.check(userId, first.id, now + 1_000, TOUCH_INTERVAL)).found).toBe(false);
        expect((await store.check(userId, third.id, now + 1_000, TOUCH_INTERVAL)).found).toBe(false);
        expect(await store.revokeAll(userId, kept.id)).toBe(0);
      });

      it('revokes everything when the session to keep is not one of the user’s', async () => {
        await createInOrder(3, evictOldest(5));
        expect(await store.revokeAll(userId, newSessionId())).toBe(3);
        expect(await store.list(userId)).toEqual([]);
      });
    });

    describe('record (rollout mode)', () => {
      it('adds an unknown session without applying the cap', async () => {
        const sessions = await createInOrder(3, evictOldest(3));
        const seen = newSession(userId, now + 10, { ip: '198.51.100.4', userAgent: 'curl/8.5.0' });

        expect(await store.record(seen)).toBe(true);

        expect(await store.list(userId)).toStrictEqual([seen, ...[...sessions].reverse()]);
        expect((await store.check(userId, seen.id, now + 20, TOUCH_INTERVAL)).found).toBe(true);
      });

      it('returns false for a session that already exists and leaves it as it was', async () => {
        const session = newSession(userId, now, { userAgent: 'first' });
        await store.create(session, evictOldest(5));

        expect(await store.record({ ...session, lastSeenAt: now + 5_000, userAgent: 'second' })).toBe(false);
        expect(await store.record(session)).toBe(false);

        expect(await store.list(userId)).toStrictEqual([session]);
      });

      it('places a recorded session by its creation time, so it is evicted as the oldest it is', async () => {
        const sessions = await createInOrder(2, evictOldest(3));
        const older = newSession(userId, now - 60_000);
        expect(await store.record(older)).toBe(true);
        expect(ids(await store.list(userId))).toEqual([sessions[1].id, sessions[0].id, older.id]);

        const next = newSession(userId, now + 10);
        expect(await store.create(next, evictOldest(3))).toEqual(created([older.id]));
      });
    });

    describe('concurrency', () => {
      it('leaves exactly the cap after 50 concurrent logins of one user', async () => {
        const sessions = Array.from({ length: 50 }, () => newSession(userId, now));

        const results = await Promise.all(sessions.map((session) => store.create(session, evictOldest(5))));

        const listed = ids(await store.list(userId));
        expect(listed).toHaveLength(5);
        const evicted = results.flatMap((result) => (result.status === 'created' ? result.evictedSessionIds : []));
        expect(results.every((result) => result.status === 'created')).toBe(true);
        expect(evicted).toHaveLength(45);
        // Every session is either still live or was reported evicted, never both, never neither.
        expect([...listed, ...evicted].sort()).toEqual(ids(sessions).sort());
      });

      it('admits exactly the cap of 20 concurrent logins under the reject policy', async () => {
        const sessions = Array.from({ length: 20 }, () => newSession(userId, now));

        const results = await Promise.all(sessions.map((session) => store.create(session, reject(5))));

        const admitted = sessions.filter((_, i) => results[i].status === 'created');
        expect(admitted).toHaveLength(5);
        expect(results.filter((result) => result.status === 'limit-reached')).toHaveLength(15);
        expect(ids(await store.list(userId)).sort()).toEqual(ids(admitted).sort());
      });
    });
  });
}
