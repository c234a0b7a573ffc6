import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { loadMigrations, migrate, MigrationHistoryError, type Migration } from '../../src/postgres/migrate';
import { type LocalPostgres, startLocalPostgres } from '../../tools/postgres/launcher';

const START_MS = 60_000;
const ADMIN_SHUTDOWN = '57P01';

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const RELEASE = {
  '001-create-accounts.sql': 'CREATE TABLE accounts (id uuid PRIMARY KEY, name text NOT NULL);',
  '002-add-created-at.sql': 'ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();',
};

describe('migrations on a real PostgreSQL', () => {
  let postgres: LocalPostgres;
  let pools: Pool[] = [];
  const pool = () => {
    const created = new Pool({ connectionString: postgres.url, max: 2 });
    // pool.end() resolves while its last connections are still closing; the server's shutdown
    // may reach one of them then. That error (57P01, "administrator command") is the end of
    // the test's server, not a failure of what it tested.
    created.on('error', (error: Error & { code?: string }) => {
      if (error.code !== ADMIN_SHUTDOWN) throw error;
    });
    pools.push(created);
    return created;
  };

  beforeEach(async () => {
    postgres = await startLocalPostgres();
  }, START_MS);
  afterEach(async () => {
    await Promise.all(pools.map((each) => each.end()));
    pools = [];
    await postgres.stop();
  });

  it('applies each migration once when eight instances start at the same time, and nothing the next time', async () => {
    const migrations = loadMigrations(migrationsFolder(RELEASE));
    const reports = await Promise.all(Array.from({ length: 8 }, () => migrate(pool(), migrations)));
    expect(reports.flatMap((report) => report.applied).sort()).toEqual([1, 2]);
    const { rows } = await pool().query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'create-accounts' },
      { version: 2, name: 'add-created-at' },
    ]);
    expect((await migrate(pool(), migrations)).applied).toEqual([]);
    await pool().query("INSERT INTO accounts (id, name) VALUES ('4f1c4b4e-2a0e-4c4b-9b7a-000000000001', 'ada')");
  }, START_MS);

  it('rolls back a migration that fails, naming it, and applies the ones before it', async () => {
    const migrations = loadMigrations(migrationsFolder({ ...RELEASE, '003-broken.sql': 'CREATE TABLE half (id int); SELECT no_such_function();' }));
    await expect(migrate(pool(), migrations)).rejects.toThrow(/Migration 003-broken failed: function no_such_function\(\) does not exist/);
    const { rows } = await pool().query("SELECT to_regclass('half') AS half, (SELECT max(version) FROM schema_migrations) AS version");
    expect(rows).toEqual([{ half: null, version: 2 }]);
  }, START_MS);

  it('refuses a database migrated by a newer release, or with another history', async () => {
    const newer: Migration[] = loadMigrations(migrationsFolder({ ...RELEASE, '003-add-index.sql': 'CREATE INDEX accounts_name ON accounts (name);' }));
    await migrate(pool(), newer);
    await expect(migrate(pool(), loadMigrations(migrationsFolder(RELEASE)))).rejects.toThrow(MigrationHistoryError);
    const renamed = loadMigrations(migrationsFolder({ ...RELEASE, '003-something-else.sql': 'SELECT 1;' }));
    await expect(migrate(pool(), renamed)).rejects.toThrow(/migration 3 is "add-index", this release's is "something-else"/);
  }, START_MS);

  it('refuses migration files that are misnamed or numbered with a gap', () => {
    expect(() => loadMigrations(migrationsFolder({ 'create.sql': 'SELECT 1;' }))).toThrow('must be named NNN-what-it-does.sql');
    expect(() => loadMigrations(migrationsFolder({ '001-a.sql': 'SELECT 1;', '003-c.sql': 'SELECT 1;' }))).toThrow('without gaps');
  });
});
