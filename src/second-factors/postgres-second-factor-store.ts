import type { Pool, PoolClient } from 'pg';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';
import { inTransaction } from '../postgres/transaction';
import type { PasskeyDeviceType, PasskeyUse, SecondFactorRecord, SecondFactorStore, StoredPasskey } from './second-factor-store';

export interface PostgresSecondFactorStoreDeps {
  /** A pool, not one client: a change to several rows takes a connection of its own for its transaction. */
  readonly postgres: Pool;
}

interface FactorsRow {
  totp_sealed_secret: string | null;
  totp_confirmed_at: string | null;
  pending_sealed_secret: string | null;
  pending_expires_at: string | null;
  recovery_codes_left: number;
  passkeys: readonly PasskeyJson[];
}

/** A passkey row as json_build_object writes it: bigints come as JSON numbers, absent values as null. */
interface PasskeyJson {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: PasskeyDeviceType;
  backedUp: boolean;
  name: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

// Everything of the user in one statement, so one snapshot: a user with no row reads as no factors.
const READ = `
SELECT f.totp_sealed_secret, f.totp_confirmed_at, f.pending_sealed_secret, f.pending_expires_at,
       (SELECT count(*)::int FROM recovery_codes r WHERE r.user_id = $1) AS recovery_codes_left,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', p.id, 'publicKey', p.public_key, 'counter', p.counter, 'transports', p.transports,
                 'deviceType', p.device_type, 'backedUp', p.backed_up, 'name', p.name,
                 'createdAt', p.created_at, 'lastUsedAt', p.last_used_at) ORDER BY p.created_at, p.id), '[]')
          FROM passkeys p WHERE p.user_id = $1) AS passkeys
FROM (SELECT $1::text AS user_id) AS k LEFT JOIN second_factors f ON f.user_id = k.user_id`;

const SAVE_PENDING = `
INSERT INTO second_factors (user_id, pending_sealed_secret, pending_expires_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET pending_sealed_secret = EXCLUDED.pending_sealed_secret, pending_expires_at = EXCLUDED.pending_expires_at`;

// Checks the pending secret and locks the row in one step: a concurrent activation or removal waits for this one.
const ACTIVATE = `
UPDATE second_factors
SET totp_sealed_secret = $2, totp_confirmed_at = $3, last_step = $4, pending_sealed_secret = NULL, pending_expires_at = NULL
WHERE user_id = $1 AND pending_sealed_secret = $2 AND pending_expires_at > $3`;

const DROP_CODES = 'DELETE FROM recovery_codes WHERE user_id = $1';
const ADD_CODES = 'INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING';

const LOCK_FACTORS = 'SELECT totp_sealed_secret IS NOT NULL AS has_app FROM second_factors WHERE user_id = $1 FOR UPDATE';

// DO UPDATE rather than DO NOTHING: it locks the row whether it was there or just made,
// also when a removeAll deletes it meanwhile (the insert is then retried).
const LOCK_OR_CREATE_FACTORS = 'INSERT INTO second_factors (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id';

const CLEAR_APP = `
UPDATE second_factors
SET totp_sealed_secret = NULL, totp_confirmed_at = NULL, pending_sealed_secret = NULL, pending_expires_at = NULL, last_step = -1
WHERE user_id = $1`;

// ON CONFLICT DO UPDATE sees the latest committed step, so of racing claims of one step one wins.
const CLAIM_STEP = `
INSERT INTO second_factors (user_id, last_step) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET last_step = EXCLUDED.last_step WHERE second_factors.last_step < EXCLUDED.last_step`;

const SPEND_CODE = 'DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2';

// Run holding the factor row's lock, so the count includes every passkey added before.
const ADD_PASSKEY = `
INSERT INTO passkeys (user_id, id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at)
SELECT $1, $2, $3, $4::bigint, $5::text[], $6, $7::boolean, $8, $9::bigint, $10::bigint
WHERE (SELECT count(*) FROM passkeys WHERE user_id = $1) < $11
ON CONFLICT (user_id, id) DO NOTHING`;

const LOCK_PASSKEY = 'SELECT counter FROM passkeys WHERE user_id = $1 AND id = $2 FOR UPDATE';

// A row past its expiry is as good as swept: the challenge may be spent again, its own expiry refuses it.
const SPEND_CHALLENGE = `
INSERT INTO spent_passkey_challenges (user_id, digest, expires_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id, digest) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE spent_passkey_challenges.expires_at <= $4`;

const RECORD_USE = 'UPDATE passkeys SET counter = $3, last_used_at = $4 WHERE user_id = $1 AND id = $2';

const REMOVE_PASSKEY = 'DELETE FROM passkeys WHERE user_id = $1 AND id = $2';

const REMOVE_ALL = `
WITH passkeys_gone AS (DELETE FROM passkeys WHERE user_id = $1 RETURNING id),
     codes_gone AS (DELETE FROM recovery_codes WHERE user_id = $1),
     challenges_gone AS (DELETE FROM spent_passkey_challenges WHERE user_id = $1),
     factors_gone AS (DELETE FROM second_factors WHERE user_id = $1)
SELECT count(*)::int AS passkeys FROM passkeys_gone`;

/**
 * A user's second factors in four tables (migration 005). A change to one row is one
 * statement; a change to several is a short transaction that first locks the user's
 * `second_factors` row (or, to use a passkey, the passkey's row), so each is atomic
 * across instances. Expired spent challenges are ignored until the sweeper deletes them.
 */
export function createPostgresSecondFactorStore({ postgres }: PostgresSecondFactorStoreDeps): SecondFactorStore {
  const run = (client: Pool | PoolClient, name: string, text: string, values: unknown[]) => client.query({ name, text, values });

  return {
    async read(userId) {
      const { rows } = await failClosedOnPostgres(() => postgres.query<FactorsRow>({ name: 'auth_second_factors_read', text: READ, values: [userId] }));
      return decodeFactors(rows[0]);
    },
    async savePendingTotp(userId, pending) {
      await failClosedOnPostgres(() => run(postgres, 'auth_second_factors_save_pending', SAVE_PENDING, [userId, pending.sealedSecret, pending.expiresAt]));
    },
    async activateTotp(userId, { sealedSecret, recoveryCodeHashes, step, nowMs }) {
      return inTransaction(postgres, async (client) => {
        const { rowCount } = await run(client, 'auth_second_factors_activate', ACTIVATE, [userId, sealedSecret, nowMs, step]);
        if (rowCount !== 1) return false;
        await run(client, 'auth_second_factors_drop_codes', DROP_CODES, [userId]);
        await run(client, 'auth_second_factors_add_codes', ADD_CODES, [userId, recoveryCodeHashes]);
        return true;
      });
    },
    async removeTotp(userId) {
      return inTransaction(postgres, async (client) => {
        const { rows } = await client.query<{ has_app: boolean }>({ name: 'auth_second_factors_lock', text: LOCK_FACTORS, values: [userId] });
        if (rows.length === 0) return false;
        await run(client, 'auth_second_factors_clear_app', CLEAR_APP, [userId]);
        await run(client, 'auth_second_factors_drop_codes', DROP_CODES, [userId]);
        return rows[0].has_app;
      });
    },
    async claimTotpStep(userId, step) {
      const { rowCount } = await failClosedOnPostgres(() => run(postgres, 'auth_second_factors_claim_step', CLAIM_STEP, [userId, step]));
      return rowCount === 1;
    },
    async spendRecoveryCode(userId, codeHash) {
      const { rowCount } = await failClosedOnPostgres(() => run(postgres, 'auth_second_factors_spend_code', SPEND_CODE, [userId, codeHash]));
      return rowCount === 1;
    },
    async addPasskey(userId, passkey, max) {
      return inTransaction(
        postgres,
        async (client) => {
          await run(client, 'auth_second_factors_lock_or_create', LOCK_OR_CREATE_FACTORS, [userId]);
          const { id, publicKey, counter, transports, deviceType, backedUp, name, createdAt, lastUsedAt } = passkey;
          const values = [userId, id, publicKey, counter, transports, deviceType, backedUp, name ?? null, createdAt, lastUsedAt ?? null, max];
          const { rowCount } = await run(client, 'auth_second_factors_add_passkey', ADD_PASSKEY, values);
          return rowCount === 1;
        },
        // A refused passkey leaves no factor row made for it behind.
        (added) => added,
      );
    },
    async usePasskey(userId, credentialId, counter, nowMs, challenge): Promise<PasskeyUse> {
      return inTransaction(
        postgres,
        async (client) => {
          const { rows } = await client.query<{ counter: string }>({ name: 'auth_second_factors_lock_passkey', text: LOCK_PASSKEY, values: [userId, credentialId] });
          if (rows.length === 0) return 'unknown';
          const spent = await run(client, 'auth_second_factors_spend_challenge', SPEND_CHALLENGE, [userId, challenge.digest, challenge.expiresAt, nowMs]);
          if (spent.rowCount !== 1) return 'challenge-spent';
          const stored = Number(rows[0].counter);
          if ((counter !== 0 || stored !== 0) && counter <= stored) return 'counter-not-increased';
          await run(client, 'auth_second_factors_record_use', RECORD_USE, [userId, credentialId, counter, nowMs]);
          return 'used';
        },
        // Only a recorded use spends its challenge: a refused one changes nothing.
        (use) => use === 'used',
      );
    },
    async removePasskey(userId, credentialId) {
      const { rowCount } = await failClosedOnPostgres(() => run(postgres, 'auth_second_factors_remove_passkey', REMOVE_PASSKEY, [userId, credentialId]));
      return rowCount === 1;
    },
    async removeAll(userId) {
      return inTransaction(postgres, async (client) => {
        const { rows } = await client.query<{ has_app: boolean }>({ name: 'auth_second_factors_lock', text: LOCK_FACTORS, values: [userId] });
        // No factor row, no factors: a passkey or code is only ever added with the row locked.
        if (rows.length === 0) return 0;
        const removed = await client.query<{ passkeys: number }>({ name: 'auth_second_factors_remove_all', text: REMOVE_ALL, values: [userId] });
        return (rows[0].has_app ? 1 : 0) + removed.rows[0].passkeys;
      });
    },
  };
}

function decodeFactors(row: FactorsRow): SecondFactorRecord {
  return {
    ...(row.totp_sealed_secret !== null && { totp: { sealedSecret: row.totp_sealed_secret, confirmedAt: Number(row.totp_confirmed_at) } }),
    ...(row.pending_sealed_secret !== null && { pendingTotp: { sealedSecret: row.pending_sealed_secret, expiresAt: Number(row.pending_expires_at) } }),
    recoveryCodesLeft: row.recovery_codes_left,
    passkeys: row.passkeys.map(({ name, lastUsedAt, ...passkey }): StoredPasskey => ({
      ...passkey,
      ...(name !== null && { name }),
      ...(lastUsedAt !== null && { lastUsedAt }),
    })),
  };
}
