import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client, type Pool } from 'pg';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import type { AttemptResult, CounterSubject, FailureCounterStore } from '../../src/brute-force/failure-counter-store';
import { createMemoryFailureCounterStore } from '../../src/brute-force/memory-failure-counter-store';
import type { LockoutPolicy, SlowdownPolicy } from '../../src/brute-force/policy';
import { createPostgresFailureCounterStore } from '../../src/brute-force/postgres-failure-counter-store';
import { createPostgresPool } from '../../src/postgres/pool';
import { openTestSchema, type TestSchema } from '../support/postgres';
import { describeFailureCounterStoreContract } from './failure-counter-store.contract';

describeFailureCounterStoreContract('PostgreSQL', async () => {
  const schema = await openTestSchema();
  return { store: createPostgresFailureCounterStore({ postgres: schema.pool }), close: () => schema.close() };
});

const SECOND = 1_000;
const MINUTE = 60_000;
const policy: LockoutPolicy = { failureFactor: 3, waitIncrementMs: MINUTE, maxWaitMs: 10 * MINUTE, failureResetMs: 60 * MINUTE };
const slowdown: SlowdownPolicy = { failureFactor: 3, incrementMs: SECOND, maxDelayMs: 8 * SECOND, failureResetMs: 60 * MINUTE };

/** What the sweeper does: every row past its expires_at goes. */
async function sweep(pool: Pool, now: number): Promise<void> {
  await pool.query('DELETE FROM login_counters WHERE expires_at <= $1', [now]);
  await pool.query('DELETE FROM login_spacings WHERE expires_at <= $1', [now]);
}

describe('the PostgreSQL failure counter store', () => {
  let schema: TestSchema;
  /** A second service instance: its own pool on the same database. */
  let otherPool: Pool;
  let one: FailureCounterStore;
  let two: FailureCounterStore;
  const t0 = Date.now();

  beforeAll(async () => {
    schema = await openTestSchema();
    otherPool = createPostgresPool({ url: schema.url, poolSize: 4 });
    one = createPostgresFailureCounterStore({ postgres: schema.pool });
    two = createPostgresFailureCounterStore({ postgres: otherPool });
  });
  afterAll(async () => {
    await otherPool.end();
    await schema.close();
  });

  it('keeps one count for every instance: concurrent attempts through both get exactly the slots, and failures through one lock through the other', async () => {
    const who: CounterSubject = { tag: `u:${randomUUID()}`, member: 'ip:192.0.2.1' };
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const admissions = await Promise.all(ids.map((id, index) => (index % 2 === 0 ? one : two).begin(who, id, policy, t0)));
    const admitted = ids.filter((_, index) => admissions[index].status === 'admitted');
    expect(admitted).toHaveLength(3);
    expect(admissions.filter((admission) => admission.status === 'busy')).toHaveLength(7);

    await Promise.all(admitted.map((id) => one.end(who, id, 'failure', policy, t0)));
    expect(await two.begin(who, randomUUID(), policy, t0 + 1)).toEqual({ status: 'locked', lockedUntil: t0 + MINUTE });
    expect(await two.state(who, t0 + 1)).toEqual({ failures: 3, lockedUntil: t0 + MINUTE });

    expect(await two.unlockUsername(who.tag, t0 + 2)).toEqual({ failures: 0, pairFailures: 3, lockedPairs: 1 });
    expect(await one.begin(who, randomUUID(), policy, t0 + 2)).toEqual({ status: 'admitted' });
  });

  it("spaces a username's attempts once across instances", async () => {
    const username = `u:${randomUUID()}`;
    const reservations = await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? one : two).reserveSlot(username, randomUUID(), slowdown, t0)),
    );
    const slots = reservations.flatMap((reservation) => (reservation.status === 'admitted' ? [reservation.at - t0] : [])).sort((a, b) => a - b);
    expect(slots).toEqual([0, 0, 0, 0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(reservations.filter((reservation) => reservation.status === 'deferred')).toEqual([{ status: 'deferred', slotAt: t0 + 6 * SECOND }]);
  });

  it('leaves no row behind for attempts that all ended without a failure', async () => {
    const who: CounterSubject = { tag: `u:${randomUUID()}`, member: 'ip:192.0.2.1' };
    const id = randomUUID();
    await one.begin(who, id, policy, t0);
    await one.reserveSlot(who.tag, id, slowdown, t0);
    await two.end(who, id, 'success', policy, t0);
    await two.endSlot(who.tag, id, 'success', slowdown, t0);
    const counters = await schema.pool.query('SELECT 1 FROM login_counters WHERE tag = $1', [who.tag]);
    const spacings = await schema.pool.query('SELECT 1 FROM login_spacings WHERE tag = $1', [who.tag]);
    expect([counters.rowCount, spacings.rowCount]).toEqual([0, 0]);
  });

  it('keeps an attempt in flight from the sweeper until it stops counting', async () => {
    const who: CounterSubject = { tag: `ip:${randomUUID()}` };
    for (let i = 0; i < 3; i += 1) await one.begin(who, randomUUID(), policy, t0);
    await sweep(schema.pool, t0 + MINUTE - 1);
    expect((await two.begin(who, randomUUID(), policy, t0 + MINUTE - 1)).status).toBe('busy');
  });

  it('answers SERVICE_UNAVAILABLE when its connection is cut mid-transaction, and works again on the next call', async () => {
    const pool = createPostgresPool({ url: schema.url, poolSize: 1 });
    const admin = new Client({ connectionString: schema.url });
    await admin.connect();
    try {
      const store = createPostgresFailureCounterStore({ postgres: pool });
      const who: CounterSubject = { tag: `ip:${randomUUID()}` };
      await store.begin(who, randomUUID(), policy, t0);
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('BEGIN');
      await admin.query("SELECT 1 FROM login_counters WHERE tag = $1 AND member = '' FOR UPDATE", [who.tag]);
      const blocked = store.begin(who, randomUUID(), policy, t0);
      const outcome = blocked.then(
        () => 'admitted',
        (error: unknown) => error,
      );
      await waitFor(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [rows[0].pid])).rowCount === 1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      expect(await outcome).toBeInstanceOf(ServiceUnavailableError);
      await admin.query('ROLLBACK');
      expect(await store.begin(who, randomUUID(), policy, t0)).toEqual({ status: 'admitted' });
    } finally {
      await admin.end();
      await pool.end();
    }
  });

  it('answers SERVICE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const pool = createPostgresPool({ url: 'postgres://auth:nothing@127.0.0.1:1/auth', poolSize: 1 });
    try {
      const store = createPostgresFailureCounterStore({ postgres: pool });
      await expect(store.begin({ tag: 'ip:192.0.2.1' }, randomUUID(), policy, t0)).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(store.state({ tag: 'ip:192.0.2.1' }, t0)).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await pool.end();
    }
  });

  describe('matches the in-memory store call for call, with the sweeper deleting expired rows at any time', () => {
    // Small numbers, so locks, resets, spacing and stale attempts all happen within a few steps.
    const smallPolicy: LockoutPolicy = { failureFactor: 2, waitIncrementMs: SECOND, maxWaitMs: 4 * SECOND, failureResetMs: 10 * SECOND };
    const smallSlowdown: SlowdownPolicy = { failureFactor: 2, incrementMs: SECOND, maxDelayMs: 4 * SECOND, failureResetMs: 10 * SECOND };
    const results: AttemptResult[] = ['failure', 'success', 'void'];

    // Mostly no time at all, so attempts pile up; sometimes past a lock, a reset or a stale attempt.
    const step = fc.oneof(
      { arbitrary: fc.constant(0), weight: 5 },
      { arbitrary: fc.constantFrom(1, 999, SECOND, 3 * SECOND), weight: 3 },
      { arbitrary: fc.constantFrom(10 * SECOND, MINUTE - 1, MINUTE), weight: 1 },
    );
    const who = fc.nat({ max: 3 });
    const usernameIndex = fc.nat({ max: 1 });
    const attempt = fc.nat({ max: 3 });
    const result = fc.constantFrom(...results);
    const call = fc.oneof(
      fc.record({ op: fc.constant('begin' as const), who, attempt, step }),
      fc.record({ op: fc.constant('end' as const), who, attempt, result, step }),
      fc.record({ op: fc.constant('reset' as const), who, step }),
      fc.record({ op: fc.constant('state' as const), who, step }),
      fc.record({ op: fc.constant('reserveSlot' as const), username: usernameIndex, attempt, step }),
      fc.record({ op: fc.constant('endSlot' as const), username: usernameIndex, attempt, result, step }),
      fc.record({ op: fc.constant('slowdownState' as const), username: usernameIndex, step }),
      fc.record({ op: fc.constant('unlockUsername' as const), username: usernameIndex, step }),
      fc.record({ op: fc.constant('sweep' as const), step }),
    );
    type Call = typeof call extends fc.Arbitrary<infer C> ? C : never;

    it('for random sequences of calls', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 60 }), async (calls) => {
          const run = randomUUID();
          const usernames = [`u:${run}:a`, `u:${run}:b`];
          const subjects: CounterSubject[] = [
            { tag: usernames[0], member: 'ip:192.0.2.1' },
            { tag: usernames[0], member: 'ip:192.0.2.2' },
            { tag: usernames[1], member: 'ip:192.0.2.1' },
            { tag: `ip:${run}` },
          ];
          const memory = createMemoryFailureCounterStore();
          const attemptIds = Array.from({ length: 4 }, () => randomUUID());
          let now = t0;
          const apply = (store: FailureCounterStore, c: Exclude<Call, { op: 'sweep' }>) => {
            switch (c.op) {
              case 'begin':
                return store.begin(subjects[c.who], attemptIds[c.attempt], smallPolicy, now);
              case 'end':
                return store.end(subjects[c.who], attemptIds[c.attempt], c.result, smallPolicy, now);
              case 'reset':
                return store.reset(subjects[c.who]);
              case 'state':
                return store.state(subjects[c.who], now);
              case 'reserveSlot':
                return store.reserveSlot(usernames[c.username], attemptIds[c.attempt], smallSlowdown, now);
              case 'endSlot':
                return store.endSlot(usernames[c.username], attemptIds[c.attempt], c.result, smallSlowdown, now);
              case 'slowdownState':
                return store.slowdownState(usernames[c.username], now);
              case 'unlockUsername':
                return store.unlockUsername(usernames[c.username], now);
            }
          };
          for (const c of calls) {
            now += c.step;
            if (c.op === 'sweep') {
              await sweep(schema.pool, now);
              continue;
            }
            expect({ call: c, answer: await apply(one, c) }).toEqual({ call: c, answer: await apply(memory, c) });
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
