import { randomUUID } from 'node:crypto';
import type { LockoutPolicy, SlowdownPolicy } from '../../src/brute-force/policy';
import {
  type AttemptResult,
  type CounterSubject,
  type FailureCounterStore,
  SLOT_HOLD_MS,
  STALE_ATTEMPT_MS,
} from '../../src/brute-force/failure-counter-store';

const SECOND = 1_000;
const MINUTE = 60_000;
const policy: LockoutPolicy = { failureFactor: 3, waitIncrementMs: MINUTE, maxWaitMs: 10 * MINUTE, failureResetMs: 60 * MINUTE };
const slowdown: SlowdownPolicy = { failureFactor: 3, incrementMs: SECOND, maxDelayMs: 8 * SECOND, failureResetMs: 60 * MINUTE };

export interface FailureCounterStoreUnderTest {
  readonly store: FailureCounterStore;
  close(): Promise<void>;
}

/** One behaviour for the Redis scripts and the embedded store. */
export function describeFailureCounterStoreContract(name: string, open: () => Promise<FailureCounterStoreUnderTest>): void {
  describe(`failure counter store contract: ${name}`, () => {
    let underTest: FailureCounterStoreUnderTest;
    let store: FailureCounterStore;
    let tagNumber = 0;
    /** A tag of its own per use, so tests never share a counter. */
    const tag = () => `contract-${Date.now()}-${(tagNumber += 1)}`;
    const subject = (): CounterSubject => ({ tag: tag() });
    const t0 = Date.now();

    /** One whole attempt: admitted, then ended with this result. Returns the admission. */
    async function attempt(who: CounterSubject, result: AttemptResult, now: number) {
      const id = randomUUID();
      const admission = await store.begin(who, id, policy, now);
      if (admission.status === 'admitted') await store.end(who, id, result, policy, now);
      return admission;
    }

    /** One whole attempt on a username's spacing: reserved, then ended with this result. Returns the reservation. */
    async function spaced(username: string, result: AttemptResult, now: number) {
      const id = randomUUID();
      const reservation = await store.reserveSlot(username, id, slowdown, now);
      if (reservation.status === 'admitted') await store.endSlot(username, id, result, slowdown, now);
      return reservation;
    }

    beforeAll(async () => {
      underTest = await open();
      store = underTest.store;
    });
    afterAll(() => underTest.close());

    describe('locks (a username at one address, a client address)', () => {
      it('locks at the failure factor and refuses, without counting, until the lock ends', async () => {
        const who = subject();
        for (let i = 0; i < 3; i += 1) expect(await attempt(who, 'failure', t0)).toEqual({ status: 'admitted' });
        expect(await attempt(who, 'failure', t0 + 1)).toEqual({ status: 'locked', lockedUntil: t0 + MINUTE });
        expect(await store.state(who, t0 + 1)).toEqual({ failures: 3, lockedUntil: t0 + MINUTE });
        expect(await attempt(who, 'failure', t0 + MINUTE)).toEqual({ status: 'admitted' });
        expect(await store.state(who, t0 + MINUTE)).toEqual({ failures: 4, lockedUntil: t0 + 3 * MINUTE });
      });

      it('doubles the lock with each failure after it, never past the maximum wait', async () => {
        const who = subject();
        let now = t0;
        const waits: number[] = [];
        for (let i = 0; i < 8; i += 1) {
          await attempt(who, 'failure', now);
          const { lockedUntil } = await store.state(who, now);
          if (lockedUntil !== undefined) {
            waits.push((lockedUntil - now) / MINUTE);
            now = lockedUntil;
          }
        }
        expect(waits).toEqual([1, 2, 4, 8, 10, 10]);
      });

      it('forgets failures on success, and changes nothing on a void result', async () => {
        const who = subject();
        await attempt(who, 'failure', t0);
        await attempt(who, 'void', t0);
        expect((await store.state(who, t0)).failures).toBe(1);
        await attempt(who, 'success', t0);
        expect(await store.state(who, t0)).toEqual({ failures: 0, lockedUntil: undefined });
      });

      it('forgets everything on reset', async () => {
        const who = subject();
        for (let i = 0; i < 3; i += 1) await attempt(who, 'failure', t0);
        await store.reset(who);
        expect(await store.state(who, t0)).toEqual({ failures: 0, lockedUntil: undefined });
        expect(await attempt(who, 'success', t0)).toEqual({ status: 'admitted' });
      });

      it('admits as many concurrent attempts as failures may still happen, and answers the rest busy', async () => {
        const who = subject();
        await attempt(who, 'failure', t0);
        const admissions = await Promise.all(Array.from({ length: 40 }, () => store.begin(who, randomUUID(), policy, t0)));
        expect(admissions.filter((admission) => admission.status === 'admitted')).toHaveLength(2);
        expect(admissions.filter((admission) => admission.status === 'busy')).toHaveLength(38);
      });

      it('frees a slot when an attempt ends, and after a lock lets one attempt at a time through', async () => {
        const who = subject();
        const first = randomUUID();
        expect((await store.begin(who, first, policy, t0)).status).toBe('admitted');
        for (let i = 0; i < 2; i += 1) await store.begin(who, randomUUID(), policy, t0);
        expect((await store.begin(who, randomUUID(), policy, t0)).status).toBe('busy');
        await store.end(who, first, 'void', policy, t0);
        expect((await store.begin(who, randomUUID(), policy, t0)).status).toBe('admitted');

        const locked = subject();
        for (let i = 0; i < 3; i += 1) await attempt(locked, 'failure', t0);
        const afterLock = t0 + MINUTE;
        expect((await store.begin(locked, randomUUID(), policy, afterLock)).status).toBe('admitted');
        expect((await store.begin(locked, randomUUID(), policy, afterLock)).status).toBe('busy');
      });

      it('stops holding a slot for an attempt that never ended (its process died)', async () => {
        const who = subject();
        for (let i = 0; i < 3; i += 1) await store.begin(who, randomUUID(), policy, t0);
        expect((await store.begin(who, randomUUID(), policy, t0 + 1_000)).status).toBe('busy');
        expect((await store.begin(who, randomUUID(), policy, t0 + STALE_ATTEMPT_MS + 1)).status).toBe('admitted');
      });

      it('keeps subjects apart: other tags, and other addresses under one tag', async () => {
        const [one, other] = [subject(), subject()];
        for (let i = 0; i < 3; i += 1) await attempt(one, 'failure', t0);
        expect(await attempt(other, 'failure', t0)).toEqual({ status: 'admitted' });

        const username = tag();
        for (let i = 0; i < 3; i += 1) await attempt({ tag: username, member: 'ip:192.0.2.1' }, 'failure', t0);
        expect(await attempt({ tag: username, member: 'ip:192.0.2.2' }, 'failure', t0)).toEqual({ status: 'admitted' });
        expect((await store.state({ tag: username, member: 'ip:192.0.2.1' }, t0)).lockedUntil).toBe(t0 + MINUTE);
      });
    });

    describe("a username's spacing", () => {
      it('leaves attempts unspaced below the threshold', async () => {
        const username = tag();
        for (let i = 0; i < 3; i += 1) expect(await spaced(username, 'failure', t0 + i)).toEqual({ status: 'admitted', at: t0 + i });
        expect(await store.slowdownState(username, t0 + 2)).toEqual({ failures: 3, nextSlotAt: undefined });
      });

      it('spaces attempts past it: each takes the next slot and pushes it by the increment, doubled per failure, at most the maximum', async () => {
        const username = tag();
        for (let i = 0; i < 3; i += 1) await spaced(username, 'failure', t0);
        // The first spaced attempt goes now; each failure so far doubles the gap after it.
        expect(await spaced(username, 'failure', t0)).toEqual({ status: 'admitted', at: t0 });
        expect(await spaced(username, 'failure', t0)).toEqual({ status: 'admitted', at: t0 + SECOND });
        expect(await spaced(username, 'failure', t0)).toEqual({ status: 'admitted', at: t0 + 3 * SECOND });
        // Past the hold bound: deferred, told the slot, and nothing taken.
        expect(SLOT_HOLD_MS).toBe(5 * SECOND);
        expect(await spaced(username, 'failure', t0)).toEqual({ status: 'deferred', slotAt: t0 + 7 * SECOND });
        expect(await spaced(username, 'failure', t0 + 2 * SECOND)).toEqual({ status: 'admitted', at: t0 + 7 * SECOND });
        expect(await spaced(username, 'failure', t0 + 15 * SECOND)).toEqual({ status: 'admitted', at: t0 + 15 * SECOND });
        // 2^4 s would be 16 s: the maximum of 8 s.
        expect(await store.slowdownState(username, t0 + 15 * SECOND)).toEqual({ failures: 8, nextSlotAt: t0 + 23 * SECOND });
      });

      it('counts attempts in flight with the failures: concurrent attempts cannot slip past the threshold unspaced', async () => {
        const username = tag();
        const reservations = await Promise.all(Array.from({ length: 40 }, () => store.reserveSlot(username, randomUUID(), slowdown, t0)));
        const slots = reservations.flatMap((reservation) => (reservation.status === 'admitted' ? [reservation.at - t0] : [])).sort((a, b) => a - b);
        // Three unspaced, then one slot per increment (no failure yet) up to the hold bound.
        expect(slots).toEqual([0, 0, 0, 0, 1_000, 2_000, 3_000, 4_000, 5_000]);
        const deferred = reservations.filter((reservation) => reservation.status === 'deferred');
        expect(deferred).toHaveLength(31);
        expect(deferred.every((reservation) => reservation.status === 'deferred' && reservation.slotAt === t0 + 6 * SECOND)).toBe(true);
      });

      it('forgets failures and spacing on success; a void result counts nothing', async () => {
        const username = tag();
        for (let i = 0; i < 4; i += 1) await spaced(username, 'failure', t0);
        expect(await spaced(username, 'void', t0)).toEqual({ status: 'admitted', at: t0 + SECOND });
        expect((await store.slowdownState(username, t0)).failures).toBe(4);
        expect(await spaced(username, 'success', t0)).toEqual({ status: 'admitted', at: t0 + 3 * SECOND });
        expect(await store.slowdownState(username, t0)).toEqual({ failures: 0, nextSlotAt: undefined });
        expect(await spaced(username, 'failure', t0)).toEqual({ status: 'admitted', at: t0 });
      });

      it('stops counting an attempt that never ended (its process died)', async () => {
        const username = tag();
        for (let i = 0; i < 3; i += 1) await store.reserveSlot(username, randomUUID(), slowdown, t0);
        expect(await store.reserveSlot(username, randomUUID(), slowdown, t0 + SECOND)).toEqual({ status: 'admitted', at: t0 + SECOND });
        const later = t0 + SECOND + STALE_ATTEMPT_MS + 1;
        expect(await store.reserveSlot(username, randomUUID(), slowdown, later)).toEqual({ status: 'admitted', at: later });
      });

      it('keeps usernames apart from each other and from their own locks', async () => {
        const [one, other] = [tag(), tag()];
        for (let i = 0; i < 5; i += 1) await spaced(one, 'failure', t0);
        expect(await spaced(other, 'failure', t0)).toEqual({ status: 'admitted', at: t0 });
        expect(await store.state({ tag: one, member: 'ip:192.0.2.1' }, t0)).toEqual({ failures: 0, lockedUntil: undefined });
      });
    });

    describe("an administrator's unlock", () => {
      it("lifts every address's lock under a username and its spacing, and leaves other usernames and addresses alone", async () => {
        const [username, other] = [tag(), tag()];
        const at = (address: string): CounterSubject => ({ tag: username, member: `ip:${address}` });
        for (let i = 0; i < 3; i += 1) {
          for (const who of [at('192.0.2.1'), at('192.0.2.2'), { tag: other, member: 'ip:192.0.2.1' }, { tag: 'ip:192.0.2.1' }]) {
            await attempt(who, 'failure', t0);
          }
        }
        await attempt(at('192.0.2.3'), 'failure', t0);
        for (let i = 0; i < 5; i += 1) await spaced(username, 'failure', t0);

        expect(await store.unlockUsername(username, t0 + 1)).toEqual({ failures: 5, pairFailures: 7, lockedPairs: 2 });
        for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
          expect(await store.state(at(address), t0 + 1)).toEqual({ failures: 0, lockedUntil: undefined });
        }
        expect(await store.slowdownState(username, t0 + 1)).toEqual({ failures: 0, nextSlotAt: undefined });
        expect(await spaced(username, 'failure', t0 + 1)).toEqual({ status: 'admitted', at: t0 + 1 });
        expect((await store.state({ tag: other, member: 'ip:192.0.2.1' }, t0 + 1)).lockedUntil).toBe(t0 + MINUTE);
        expect((await store.state({ tag: 'ip:192.0.2.1' }, t0 + 1)).lockedUntil).toBe(t0 + MINUTE);
        expect(await store.unlockUsername(username, t0 + 1)).toEqual({ failures: 1, pairFailures: 0, lockedPairs: 0 });
      });

      it('finds nothing of an address whose success already forgot it', async () => {
        const username = tag();
        const who = { tag: username, member: 'ip:192.0.2.9' };
        for (let i = 0; i < 3; i += 1) await attempt(who, 'failure', t0);
        await attempt(who, 'success', t0 + MINUTE);
        expect(await store.unlockUsername(username, t0 + MINUTE)).toEqual({ failures: 0, pairFailures: 0, lockedPairs: 0 });
      });
    });
  });
}
