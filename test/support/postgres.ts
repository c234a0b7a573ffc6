import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type Pool } from 'pg';
import { loadMigrations, migrate } from '../../src/postgres/migrate';
import { createPostgresPool } from '../../src/postgres/pool';
import { newestBinaries } from '../../tools/postgres/launcher';

const run = promisify(execFile);

const MIGRATIONS = loadMigrations();

/** The `auth` database of the PostgreSQL that global setup started. */
export function databaseUrlFromSetup(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
  return url;
}

/** The URL with a search path: every table the service makes or reads is then in that schema. */
export function urlInSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** A schema of its own, migrated, with a pool that uses it: the PostgreSQL counterpart of a unique key prefix. */
export interface TestSchema {
  readonly schema: string;
  /** DATABASE_URL for a server (or a second instance) on this schema. */
  readonly url: string;
  readonly pool: Pool;
  close(): Promise<void>;
}

export async function openTestSchema(): Promise<TestSchema> {
  const url = await freshDatabaseUrl();
  const schema = new URL(url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
  const pool = createPostgresPool({ url, poolSize: 4 });
  await migrate(pool, MIGRATIONS);
  return { schema, url, pool, close: () => pool.end() };
}

/** A statement on the test database outside any schema of a test: creating schemas, looking at sizes. */
export async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrlFromSetup() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty schema on the test database and the DATABASE_URL that uses it: the server migrates it at start. */
export async function freshDatabaseUrl(): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  return urlInSchema(databaseUrlFromSetup(), schema);
}

/** `pg_dump` of one schema (tables and rows, as SQL text): what a backup or a stolen copy of the database holds. */
export async function dumpSchema(url: string): Promise<string> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('options')?.replace('-c search_path=', '') ?? 'public';
  const { stdout } = await run(join(newestBinaries(), 'pg_dump'), ['-h', parsed.hostname, '-p', parsed.port, '-U', decodeURIComponent(parsed.username), '-n', schema, parsed.pathname.slice(1)], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(parsed.password) },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
