import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../../src/sessions/session-store';
import { ManualClock } from '../support/manual-clock';

export interface ExpiringSessionStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

/** How long the stores under test remember a revocation (the access token lifetime). */
export const REVOCATION_MEMORY_MS = 900_000;

/**
 * Expiry as the stores that take a clock see it: `make` builds the store on the given
 * clock, with a revocation memory of REVOCATION_MEMORY_MS.
 */
export function describeSessionExpiryByClock(name: string, make: (clock: ManualClock) => Promise<ExpiringSessionStore>): void {
  describe(`session expiry by the injected clock: ${name}`, () => {
    const HOUR = 3_600_000;
    let clock: ManualClock;
    let underTest: ExpiringSessionStore;
    let store: SessionStore;
    let userId: string;

    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      underTest = await make(clock);
      store = underTest.store;
      userId = newUserId(clock.now());
    });

    afterEach(() => underTest.close());

    function session(createdAt: number, expiresAt: number): SessionRecord {
      return { id: newSessionId(), userId, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: createdAt };
    }

    it('keeps a session until its expiry, then neither lists nor finds it', async () => {
      const start = clock.now();
      const short = session(start, start + HOUR);
      const long = session(start + 1, start + 2 * HOUR);
      await store.create(short, { max: 5, policy: 'evict-oldest' });
      await store.create(long, { max: 5, policy: 'evict-oldest' });

      clock.advance(HOUR - 1);
      expect((await store.list(userId)).map((s) => s.id)).toEqual([long.id, short.id]);
      expect((await store.check(userId, short.id, clock.now(), 60_000)).found).toBe(true);

      clock.advance(2);
      expect((await store.list(userId)).map((s) => s.id)).toEqual([long.id]);
      expect((await store.check(userId, short.id, clock.now(), 60_000)).found).toBe(false);
      expect(await store.revoke(userId, short.id)).toBe(false);
    });

    it('does not count expired sessions against the cap, report them evicted, or count them as revoked', async () => {
      const start = clock.now();
      const expiring = [session(start, start + HOUR), session(start + 1, start + HOUR)];
      const lasting = session(start + 2, start + 3 * HOUR);
      for (const s of [...expiring, lasting]) await store.create(s, { max: 3, policy: 'evict-oldest' });

      clock.advance(HOUR + 1);
      const next = session(clock.now(), clock.now() + HOUR);
      expect(await store.create(next, { max: 2, policy: 'reject' })).toEqual({ status: 'created', evictedSessionIds: [] });
      expect((await store.list(userId)).map((s) => s.id)).toEqual([next.id, lasting.id]);
      expect(await store.revokeAll(userId)).toBe(2);
    });

    it('forgets a revocation once a token of that session can no longer be alive', async () => {
      const start = clock.now();
      const revoked = session(start, start + HOUR);
      await store.create(revoked, { max: 5, policy: 'evict-oldest' });
      await store.revokeAll(userId);

      clock.advance(REVOCATION_MEMORY_MS - 1);
      expect(await store.check(userId, revoked.id, clock.now(), 60_000)).toMatchObject({ revoked: true, allRevokedAt: start });
      clock.advance(1);
      expect(await store.check(userId, revoked.id, clock.now(), 60_000)).toMatchObject({ revoked: false, allRevokedAt: undefined });
    });

    it('accepts a recorded session again once the earlier one with the same id has expired', async () => {
      const start = clock.now();
      const first = session(start, start + HOUR);
      await store.create(first, { max: 5, policy: 'evict-oldest' });

      clock.advance(HOUR + 1);
      const again = { ...first, createdAt: clock.now(), expiresAt: clock.now() + HOUR, lastSeenAt: clock.now() };
      expect(await store.record(again)).toBe(true);
      expect(await store.list(userId)).toStrictEqual([again]);
    });
  });
}
