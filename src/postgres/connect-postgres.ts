import type { Pool } from 'pg';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { sqlState } from '@graphql-auth-service/subgraph/postgres/unavailable';
import type { DatabaseConfig } from './database-config';
import { loadMigrations, migrate, type MigrationReport } from './migrate';
import { createPostgresPool } from './pool';

/**
 * A pool on the configured database, checked with one connection and migrated to this
 * release's schema before the service takes requests. When the database cannot be used,
 * the pool is closed and a ServiceUnavailableError says why in one line, naming what to
 * check; the URL (which holds the password) is never part of it.
 */
export async function openPostgres(config: DatabaseConfig): Promise<{ pool: Pool; migrations: MigrationReport }> {
  const pool = createPostgresPool(config);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new ServiceUnavailableError(describePostgresError(error, config), { cause: error });
  }
  try {
    return { pool, migrations: await migrate(pool, loadMigrations()) };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** Why the database refused, in words an operator can act on; never the URL. */
export function describePostgresError(error: unknown, config: DatabaseConfig): string {
  const where = endpointOf(config.url);
  const state = sqlState(error);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (state === '28P01' || state === '28000') return `PostgreSQL at ${where} refused the user name or password in DATABASE_URL`;
  if (state === '3D000') return `PostgreSQL at ${where} has no such database: create it, or fix the database name in DATABASE_URL`;
  if (code === 'ECONNREFUSED') return `Nothing accepts connections at ${where} (DATABASE_URL): is PostgreSQL running there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of DATABASE_URL (${where}) cannot be resolved`;
  if (/timeout/i.test(message)) return `PostgreSQL at ${where} did not answer in time (DATABASE_URL)`;
  if (/certificate|SSL|TLS/i.test(message)) return `PostgreSQL at ${where}: the TLS connection failed (${message}); check sslmode and sslrootcert in DATABASE_URL`;
  return `PostgreSQL at ${where} cannot be used (DATABASE_URL): ${message}`;
}

function endpointOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
