import type { PostgresClient } from '@graphql-auth-service/subgraph/postgres/client';
import { failClosedOnPostgres, sqlState } from '@graphql-auth-service/subgraph/postgres/unavailable';
import type { UserChanges, UserPage, UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { usernameSkeleton } from './confusable-skeleton';
import { decodeCursor, encodeCursor } from './cursor';
import {
  EmailTakenError,
  SKELETON_BACKFILL_PAGE_SIZE,
  type SkeletonBackfill,
  UsernameTakenError,
  UsernameTooSimilarError,
  type UserStore,
} from './user-store';

export interface PostgresUserStoreDeps {
  readonly postgres: PostgresClient;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  username: string;
  password_hash: string;
  authorities: string[];
  disabled: boolean;
  created_at: string;
  email: string | null;
  email_verified: boolean;
}

interface HoldersRow extends Record<string, unknown> {
  username_holder: string | null;
  skeleton_holder: string | null;
  email_holder: string | null;
  id_taken: boolean;
}

/** One row even for an empty page: the count, and the page's columns NULL. */
type ListRow = { total_count: string } & { [column in keyof UserRow]: UserRow[column] | null };

interface BackfillRow extends Record<string, unknown> {
  id: string;
  username: string;
  username_skeleton: string | null;
}

const COLUMNS = 'id, username, password_hash, authorities, disabled, created_at, email, email_verified';

// Without a conflict target: a taken name, skeleton, address or id all insert nothing, and
// a racing insert of any of them is waited for, so exactly one of the racers gets the row.
const CREATE = `
INSERT INTO users (id, username, username_skeleton, password_hash, authorities, disabled, created_at, email, email_verified)
VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9)
ON CONFLICT DO NOTHING`;

// A statement of its own after the insert: it sees the row the insert waited for, which a
// second part of the insert's statement (same snapshot) would not.
const HOLDERS = `
SELECT (SELECT id FROM users WHERE username = $1) AS username_holder,
       (SELECT id FROM users WHERE username_skeleton = $2) AS skeleton_holder,
       (SELECT id FROM users WHERE email = $3) AS email_holder,
       EXISTS (SELECT 1 FROM users WHERE id = $4) AS id_taken`;

// NULL leaves a column as it is.
const UPDATE = `
UPDATE users SET password_hash = COALESCE($2, password_hash), authorities = COALESCE($3::text[], authorities),
                 disabled = COALESCE($4, disabled), email_verified = COALESCE($5, email_verified)
WHERE id = $1
RETURNING ${COLUMNS}`;

// One row holds the address, so taking the new one releases the old one in the same step.
const CHANGE_EMAIL = `UPDATE users SET email = $2, email_verified = $3 WHERE id = $1 RETURNING ${COLUMNS}`;

const MARK_EMAIL_VERIFIED = 'UPDATE users SET email_verified = true WHERE id = $1 AND email = $2';

// The count and the page from one snapshot. `first + 1` rows tell whether another page follows.
const LIST = `
SELECT c.total_count, p.*
FROM (SELECT count(*) AS total_count FROM users) AS c
LEFT JOIN LATERAL (SELECT ${COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2) AS p ON true
ORDER BY p.id`;

const BACKFILL_PAGE = 'SELECT id, username, username_skeleton FROM users WHERE id > $1 ORDER BY id LIMIT $2';

const CLAIM_SKELETON = 'UPDATE users SET username_skeleton = $2 WHERE id = $1 AND username_skeleton IS NULL';

const UNIQUE_VIOLATION = '23505';

/** Every user id sorts after it: the first page's cursor. */
const BEFORE_ALL_IDS = '';

/**
 * Accounts in PostgreSQL: one row per user, whose unique constraints keep a name, its
 * confusable skeleton and an address to one account however many instances race, so
 * every operation is a single statement.
 */
export function createPostgresUserStore({ postgres }: PostgresUserStoreDeps): UserStore {
  async function findOne(name: string, text: string, value: string): Promise<UserRecord | undefined> {
    const { rows } = await failClosedOnPostgres(() => postgres.query<UserRow>({ name, text, values: [value] }));
    return rows.length === 0 ? undefined : fromRow(rows[0]);
  }

  async function findById(id: string): Promise<UserRecord | undefined> {
    return findOne('auth_user_by_id', `SELECT ${COLUMNS} FROM users WHERE id = $1`, id);
  }

  /** Whether this user holds the skeleton now, another user did first, or this user already held it. */
  async function claimSkeleton(id: string, username: string): Promise<'claimed' | 'held' | 'taken'> {
    try {
      const { rowCount } = await failClosedOnPostgres(() =>
        postgres.query({ name: 'auth_user_claim_skeleton', text: CLAIM_SKELETON, values: [id, usernameSkeleton(username)] }),
      );
      // No row: another backfill claimed it for this very user meanwhile.
      return rowCount === 1 ? 'claimed' : 'held';
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_skeleton_key')) return 'taken';
      throw error;
    }
  }

  return {
    async create(user) {
      const skeleton = usernameSkeleton(user.username);
      const email = user.email ?? null;
      const values = [
        user.id,
        user.username,
        skeleton,
        user.passwordHash,
        user.authorities,
        user.disabled,
        user.createdAt,
        email,
        user.emailVerified ?? false,
      ];
      // A second round only when the user who held something was deleted in between.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { rowCount } = await failClosedOnPostgres(() => postgres.query({ name: 'auth_user_create', text: CREATE, values }));
        if (rowCount === 1) return;
        const { rows } = await failClosedOnPostgres(() =>
          postgres.query<HoldersRow>({ name: 'auth_user_holders', text: HOLDERS, values: [user.username, skeleton, email, user.id] }),
        );
        const holders = rows[0];
        // The same account racing itself (two first logins of one remote user) is no conflict.
        if (holders.username_holder === user.id) return;
        if (holders.username_holder !== null) throw new UsernameTakenError(user.username);
        if (holders.skeleton_holder !== null && holders.skeleton_holder !== user.id) throw new UsernameTooSimilarError(user.username);
        if (user.email !== undefined && holders.email_holder !== null && holders.email_holder !== user.id) throw new EmailTakenError(user.email);
        if (holders.id_taken) throw new Error(`User id ${user.id} belongs to another username`);
      }
      throw new Error(`User ${user.id} was neither created nor refused: its conflicts keep disappearing`);
    },
    findById,
    async findByUsername(username) {
      return findOne('auth_user_by_username', `SELECT ${COLUMNS} FROM users WHERE username = $1`, username);
    },
    async findByEmail(email) {
      return findOne('auth_user_by_email', `SELECT ${COLUMNS} FROM users WHERE email = $1`, email);
    },
    async update(id, changes: UserChanges) {
      const { passwordHash, authorities, disabled, emailVerified } = changes;
      // Nothing to write: no new row version for it.
      if ([passwordHash, authorities, disabled, emailVerified].every((value) => value === undefined)) return findById(id);
      const values = [id, passwordHash ?? null, authorities ?? null, disabled ?? null, emailVerified ?? null];
      const { rows } = await failClosedOnPostgres(() => postgres.query<UserRow>({ name: 'auth_user_update', text: UPDATE, values }));
      return rows.length === 0 ? undefined : fromRow(rows[0]);
    },
    async changeEmail(id, email, verified) {
      try {
        const { rows } = await failClosedOnPostgres(() =>
          postgres.query<UserRow>({ name: 'auth_user_change_email', text: CHANGE_EMAIL, values: [id, email, verified] }),
        );
        return rows.length === 0 ? undefined : fromRow(rows[0]);
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenError(email);
        throw error;
      }
    },
    async markEmailVerified(id, email) {
      const { rowCount } = await failClosedOnPostgres(() =>
        postgres.query({ name: 'auth_user_mark_email_verified', text: MARK_EMAIL_VERIFIED, values: [id, email] }),
      );
      return rowCount === 1;
    },
    async list(first, after): Promise<UserPage> {
      const afterId = after === undefined ? BEFORE_ALL_IDS : decodeCursor(after);
      const { rows } = await failClosedOnPostgres(() => postgres.query<ListRow>({ name: 'auth_user_list', text: LIST, values: [afterId, first + 1] }));
      const users = rows.filter((row): row is ListRow & UserRow => row.id !== null).map(fromRow);
      const nodes = users.slice(0, first);
      const last = nodes.at(-1);
      return {
        nodes,
        totalCount: Number(rows[0].total_count),
        endCursor: last === undefined ? null : encodeCursor(last.id),
        hasNextPage: users.length > first,
      };
    },
    async backfillUsernameSkeletons(pageSize = SKELETON_BACKFILL_PAGE_SIZE): Promise<SkeletonBackfill> {
      let users = 0;
      let claimed = 0;
      const lookAlikes: string[] = [];
      const page = Math.max(1, Math.floor(pageSize));
      let afterId = BEFORE_ALL_IDS;
      for (;;) {
        const { rows } = await failClosedOnPostgres(() =>
          postgres.query<BackfillRow>({ name: 'auth_user_backfill_page', text: BACKFILL_PAGE, values: [afterId, page] }),
        );
        // One claim at a time, in age order: an older look-alike's claim is committed before a
        // younger one's is tried, on this instance and on any other that waits for it.
        for (const row of rows) {
          users += 1;
          if (row.username_skeleton !== null) continue;
          const outcome = await claimSkeleton(row.id, row.username);
          if (outcome === 'claimed') claimed += 1;
          if (outcome === 'taken') lookAlikes.push(row.id);
        }
        if (rows.length < page) return { users, claimed, lookAlikes };
        afterId = rows[rows.length - 1].id;
      }
    },
  };
}

function fromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    authorities: row.authorities,
    disabled: row.disabled,
    createdAt: Number(row.created_at),
    // The verification state belongs to an address: a user without one reads as the other stores return it, without either.
    ...(row.email !== null && { email: row.email, emailVerified: row.email_verified }),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return sqlState(error) === UNIQUE_VIOLATION && (error as { constraint?: unknown }).constraint === constraint;
}
