import { randomUUID } from 'node:crypto';
import type { LockoutPolicy } from '../../src/config/config';
import { type AttemptResult, type FailureCounterStore, STALE_ATTEMPT_MS } from '../../src/brute-force/failure-counter-store';

const MINUTE = 60_000;
const policy: LockoutPolicy = { failureFactor: 3, waitIncrementMs: MINUTE, maxWaitMs: 10 * MINUTE, failureResetMs: 60 * MINUTE };

export interface FailureCounterStoreUnderTest {
  readonly store: FailureCounterStore;
  close(): Promise<void>;
}

/** One behaviour for the Redis scripts and the embedded store. */
export function describeFailureCounterStoreContract(name: string, open: () => Promise<FailureCounterStoreUnderTest>): void {
  describe(`failure counter store contract: ${name}`, () => {
    let underTest: FailureCounterStoreUnderTest;
    let store: FailureCounterStore;
    let subjectNumber = 0;
    const subject = () => `contract-${Date.now()}-${(subjectNumber += 1)}`;
    const t0 = Date.now();

    /** One whole attempt: admitted, then ended with this result. Returns the admission. */
    async function attempt(who: string, result: AttemptResult, now: number) {
      const id = randomUUID();
      const admission = await store.begin(who, id, policy, now);
      if (admission.status === 'admitted') await store.end(who, id, result, policy, now);
      return admission;
    }

    beforeAll(async () => {
      underTest = await open();
      store = underTest.store;
    });
    afterAll(() => underTest.close());

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

    it('keeps subjects apart', async () => {
      const [one, other] = [subject(), subject()];
      for (let i = 0; i < 3; i += 1) await attempt(one, 'failure', t0);
      expect(await attempt(other, 'failure', t0)).toEqual({ status: 'admitted' });
    });
  });
}
