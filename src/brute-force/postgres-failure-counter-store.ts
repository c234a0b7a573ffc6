import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../postgres/transaction';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';
import {
  attemptSlots,
  type CounterSubject,
  type FailureCounterStore,
  SLOT_HOLD_MS,
  STALE_ATTEMPT_MS,
} from './failure-counter-store';
import { lockoutWaitMs, slowdownDelayMs } from './lockout-policy';

/** Attempt id → its start time (a counter's attempts) or its slot (a spacing's). */
type InFlight = Map<string, number>;

interface Counter {
  failures: number;
  lockedUntil: number;
  /** Failures and lock are read as none from then on. */
  countedUntil: number;
  readonly attempts: InFlight;
}

interface Spacing {
  failures: number;
  nextAt: number;
  /** Failures and the next slot are read as none from then on. */
  countedUntil: number;
  readonly slots: InFlight;
}

type CounterRow = { failures: number; locked_until: string; counted_until: string; attempts: Record<string, number> };
type SpacingRow = { failures: number; next_at: string; counted_until: string; slots: Record<string, number> };

// Locks the subject's row, creating it when missing. The no-op update (rather than DO NOTHING
// and a SELECT ... FOR UPDATE) still answers when another instance or the sweeper deletes
// the row meanwhile, and returns its latest version. A new row's expires_at is always
// written before the transaction ends.
const LOCK_COUNTER = `
INSERT INTO login_counters (tag, member, expires_at) VALUES ($1, $2, 0)
ON CONFLICT (tag, member) DO UPDATE SET failures = login_counters.failures
RETURNING failures, locked_until, counted_until, attempts`;
const SAVE_COUNTER = `
UPDATE login_counters SET failures = $3, locked_until = $4, counted_until = $5, attempts = $6::jsonb, expires_at = $7
WHERE tag = $1 AND member = $2`;
const DELETE_COUNTER = 'DELETE FROM login_counters WHERE tag = $1 AND member = $2';
const READ_COUNTER = 'SELECT failures, locked_until FROM login_counters WHERE tag = $1 AND member = $2 AND counted_until > $3';

/** Once its failures are forgotten a row lasts as long as its last attempt; with none, the sweeper takes it. */
const UNTIL_LAST_ATTEMPT = 'COALESCE((SELECT max(value::bigint) FROM jsonb_each_text(attempts)) + $3, 0)';
const RESET_COUNTER = `
UPDATE login_counters SET failures = 0, locked_until = 0, counted_until = 0, expires_at = ${UNTIL_LAST_ATTEMPT}
WHERE tag = $1 AND member = $2`;
// Locked in one order, so two unlocks of one username cannot deadlock.
const LOCK_PAIRS = `
SELECT member, failures, locked_until FROM login_counters
WHERE tag = $1 AND member <> '' AND counted_until > $2
ORDER BY member FOR UPDATE`;
const RESET_PAIRS = `
UPDATE login_counters SET failures = 0, locked_until = 0, counted_until = 0, expires_at = ${UNTIL_LAST_ATTEMPT}
WHERE tag = $1 AND member = ANY($2::text[])`;

const LOCK_SPACING = `
INSERT INTO login_spacings (tag, expires_at) VALUES ($1, 0)
ON CONFLICT (tag) DO UPDATE SET failures = login_spacings.failures
RETURNING failures, next_at, counted_until, slots`;
const LOCK_EXISTING_SPACING = 'SELECT failures, next_at, counted_until, slots FROM login_spacings WHERE tag = $1 FOR UPDATE';
const SAVE_SPACING = `
UPDATE login_spacings SET failures = $2, next_at = $3, counted_until = $4, slots = $5::jsonb, expires_at = $6
WHERE tag = $1`;
const DELETE_SPACING = 'DELETE FROM login_spacings WHERE tag = $1';
const READ_SPACING = 'SELECT failures, next_at FROM login_spacings WHERE tag = $1 AND counted_until > $2';

/** The entries that still count: an attempt stops holding its place STALE_ATTEMPT_MS after its time. */
function current(inFlight: Record<string, number>, now: number): InFlight {
  return new Map(Object.entries(inFlight).filter(([, at]) => at > now - STALE_ATTEMPT_MS));
}

/** When nothing in a row counts any more: the sweeper may delete it from then on. */
function expiresAt(countedUntil: number, inFlight: InFlight): number {
  return Math.max(countedUntil, ...[...inFlight.values()].map((at) => at + STALE_ATTEMPT_MS));
}

function counterOf(row: CounterRow, now: number): Counter {
  const counted = Number(row.counted_until) > now;
  return {
    failures: counted ? row.failures : 0,
    lockedUntil: counted ? Number(row.locked_until) : 0,
    countedUntil: counted ? Number(row.counted_until) : 0,
    attempts: current(row.attempts, now),
  };
}

function spacingOf(row: SpacingRow, now: number): Spacing {
  const counted = Number(row.counted_until) > now;
  return {
    failures: counted ? row.failures : 0,
    nextAt: counted ? Number(row.next_at) : 0,
    countedUntil: counted ? Number(row.counted_until) : 0,
    slots: current(row.slots, now),
  };
}

async function lockCounter(client: PoolClient, { tag, member = '' }: CounterSubject, now: number): Promise<Counter> {
  const { rows } = await client.query<CounterRow>({ name: 'auth_counter_lock', text: LOCK_COUNTER, values: [tag, member] });
  return counterOf(rows[0], now);
}

/** Writes the counter back, or deletes its row when it holds nothing. */
async function saveCounter(client: PoolClient, { tag, member = '' }: CounterSubject, counter: Counter): Promise<void> {
  if (counter.failures === 0 && counter.attempts.size === 0) {
    await client.query({ name: 'auth_counter_delete', text: DELETE_COUNTER, values: [tag, member] });
    return;
  }
  const { failures, lockedUntil, countedUntil, attempts } = counter;
  const values = [tag, member, failures, lockedUntil, countedUntil, JSON.stringify(Object.fromEntries(attempts)), expiresAt(countedUntil, attempts)];
  await client.query({ name: 'auth_counter_save', text: SAVE_COUNTER, values });
}

async function lockSpacing(client: PoolClient, tag: string, now: number): Promise<Spacing> {
  const { rows } = await client.query<SpacingRow>({ name: 'auth_counter_lock_spacing', text: LOCK_SPACING, values: [tag] });
  return spacingOf(rows[0], now);
}

async function saveSpacing(client: PoolClient, tag: string, spacing: Spacing): Promise<void> {
  if (spacing.failures === 0 && spacing.nextAt === 0 && spacing.slots.size === 0) {
    await client.query({ name: 'auth_counter_delete_spacing', text: DELETE_SPACING, values: [tag] });
    return;
  }
  const { failures, nextAt, countedUntil, slots } = spacing;
  const values = [tag, failures, nextAt, countedUntil, JSON.stringify(Object.fromEntries(slots)), expiresAt(countedUntil, slots)];
  await client.query({ name: 'auth_counter_save_spacing', text: SAVE_SPACING, values });
}

function forgetSpacing(spacing: Spacing): void {
  Object.assign(spacing, { failures: 0, nextAt: 0, countedUntil: 0 });
}

/**
 * The rules of the memory store and the Redis scripts, on rows every instance shares. Each
 * change runs in a short transaction that locks its subject's row first (an unlock: the
 * username's rows), so concurrent calls from any instance apply one after the other.
 */
export function createPostgresFailureCounterStore({ postgres }: { postgres: Pool }): FailureCounterStore {
  const transaction = <T>(work: (client: PoolClient) => Promise<T>) => inTransaction(postgres, work);

  return {
    begin: (subject, attemptId, policy, now) =>
      transaction(async (client) => {
        const counter = await lockCounter(client, subject, now);
        if (counter.lockedUntil > now) return { status: 'locked', lockedUntil: counter.lockedUntil };
        if (counter.attempts.size >= attemptSlots(counter.failures, policy)) return { status: 'busy' };
        counter.attempts.set(attemptId, now);
        await saveCounter(client, subject, counter);
        return { status: 'admitted' };
      }),

    end: (subject, attemptId, result, policy, now) =>
      transaction(async (client) => {
        const counter = await lockCounter(client, subject, now);
        counter.attempts.delete(attemptId);
        if (result === 'success') {
          Object.assign(counter, { failures: 0, lockedUntil: 0, countedUntil: 0 });
        } else if (result === 'failure') {
          counter.failures += 1;
          const wait = lockoutWaitMs(counter.failures, policy);
          if (wait > 0) counter.lockedUntil = Math.max(counter.lockedUntil, now + wait);
          counter.countedUntil = now + Math.max(policy.failureResetMs, counter.lockedUntil - now);
        }
        await saveCounter(client, subject, counter);
      }),

    async reset({ tag, member = '' }) {
      await failClosedOnPostgres(() => postgres.query({ name: 'auth_counter_reset', text: RESET_COUNTER, values: [tag, member, STALE_ATTEMPT_MS] }));
    },

    async state({ tag, member = '' }, now) {
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query<Pick<CounterRow, 'failures' | 'locked_until'>>({ name: 'auth_counter_read', text: READ_COUNTER, values: [tag, member, now] }),
      );
      const [row] = rows;
      if (!row) return { failures: 0, lockedUntil: undefined };
      const lockedUntil = Number(row.locked_until);
      return { failures: row.failures, lockedUntil: lockedUntil > now ? lockedUntil : undefined };
    },

    reserveSlot: (usernameTag, attemptId, policy, now) =>
      transaction(async (client) => {
        const spacing = await lockSpacing(client, usernameTag, now);
        let slot = now;
        // Attempts in flight count with the failures, so concurrent guesses cannot all slip in unspaced.
        if (spacing.failures + spacing.slots.size >= policy.failureFactor) {
          slot = Math.max(now, spacing.nextAt);
          if (slot - now > SLOT_HOLD_MS) return { status: 'deferred', slotAt: slot };
          spacing.nextAt = slot + slowdownDelayMs(spacing.failures, policy);
          // Kept at least until the slot it promises has passed, however few the failures.
          spacing.countedUntil = Math.max(spacing.countedUntil, spacing.nextAt);
        }
        spacing.slots.set(attemptId, slot);
        await saveSpacing(client, usernameTag, spacing);
        return { status: 'admitted', at: slot };
      }),

    endSlot: (usernameTag, attemptId, result, policy, now) =>
      transaction(async (client) => {
        const spacing = await lockSpacing(client, usernameTag, now);
        spacing.slots.delete(attemptId);
        if (result === 'success') {
          forgetSpacing(spacing);
        } else if (result === 'failure') {
          spacing.failures += 1;
          spacing.countedUntil = now + Math.max(policy.failureResetMs, spacing.nextAt - now);
        }
        await saveSpacing(client, usernameTag, spacing);
      }),

    async slowdownState(usernameTag, now) {
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query<Pick<SpacingRow, 'failures' | 'next_at'>>({ name: 'auth_counter_read_spacing', text: READ_SPACING, values: [usernameTag, now] }),
      );
      const [row] = rows;
      if (!row) return { failures: 0, nextSlotAt: undefined };
      const nextAt = Number(row.next_at);
      return { failures: row.failures, nextSlotAt: nextAt > now ? nextAt : undefined };
    },

    unlockUsername: (usernameTag, now) =>
      transaction(async (client) => {
        const spacings = await client.query<SpacingRow>({ name: 'auth_counter_lock_existing_spacing', text: LOCK_EXISTING_SPACING, values: [usernameTag] });
        let failures = 0;
        if (spacings.rows.length > 0) {
          const spacing = spacingOf(spacings.rows[0], now);
          failures = spacing.failures;
          forgetSpacing(spacing);
          await saveSpacing(client, usernameTag, spacing);
        }
        const pairs = await client.query<{ member: string; failures: number; locked_until: string }>({
          name: 'auth_counter_lock_pairs',
          text: LOCK_PAIRS,
          values: [usernameTag, now],
        });
        if (pairs.rows.length > 0) {
          const members = pairs.rows.map((pair) => pair.member);
          await client.query({ name: 'auth_counter_reset_pairs', text: RESET_PAIRS, values: [usernameTag, members, STALE_ATTEMPT_MS] });
        }
        return {
          failures,
          pairFailures: pairs.rows.reduce((sum, pair) => sum + pair.failures, 0),
          lockedPairs: pairs.rows.filter((pair) => Number(pair.locked_until) > now).length,
        };
      }),
  };
}
