import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';

/** One step of the schema: `NNN-what-it-does.sql`, applied once, in order, in a transaction of its own. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface MigrationReport {
  /** Versions this call applied; empty when another instance (or an earlier start) had applied them all. */
  readonly applied: readonly number[];
}

/**
 * Every instance migrates at start. They serialise on one advisory lock, held by one
 * connection for the whole run: the first applies what is missing, the others find it
 * done. The key is fixed and names this service's schema, so other users of the
 * database are not held up.
 */
const MIGRATION_LOCK_KEY = 0x4155_5448; // "AUTH"

/** The service's own schema, shipped beside this module. */
const SERVICE_MIGRATIONS = join(__dirname, 'migrations');

const MIGRATION_FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export class MigrationHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationHistoryError';
  }
}

/** The migrations in a folder, by version; a file not named `NNN-name.sql` or a version twice is a mistake in the release. */
export function loadMigrations(dir: string = SERVICE_MIGRATIONS): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`Migration file ${file} must be named NNN-what-it-does.sql`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered 001, 002, ... without gaps: ${migration.version} is out of place`);
  });
  return migrations;
}

/**
 * Applies the migrations this database lacks, each in its own transaction with its row in
 * `schema_migrations`. Refuses a database whose history differs from these files (another
 * name under a known version, or versions this release does not know: a newer release ran).
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      checkHistory(rows, migrations);
      const applied: number[] = [];
      for (const migration of migrations.slice(rows.length)) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${String(migration.version).padStart(3, '0')}-${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.version);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

function checkHistory(rows: readonly { version: number; name: string }[], migrations: readonly Migration[]): void {
  if (rows.length > migrations.length) {
    throw new MigrationHistoryError(
      `The database has migrations up to ${rows.at(-1)?.version}, this release only up to ${migrations.length}: a newer release migrated it; run that one`,
    );
  }
  rows.forEach((row, index) => {
    const expected = migrations[index];
    if (row.version !== expected.version || row.name !== expected.name) {
      throw new MigrationHistoryError(`The database's migration ${row.version} is "${row.name}", this release's is "${expected.name}": they are not the same schema`);
    }
  });
}
