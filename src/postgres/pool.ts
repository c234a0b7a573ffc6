import { Pool } from 'pg';
import type { DatabaseConfig } from './database-config';

/** A connection that cannot be opened within this long fails the operation (which answers SERVICE_UNAVAILABLE). */
const CONNECT_TIMEOUT_MS = 2_000;
/** The server cancels a statement that runs longer: no store operation should come near it. */
const STATEMENT_TIMEOUT_MS = 5_000;
const IDLE_TIMEOUT_MS = 30_000;

/** A pool of connections to the configured database; each connection prepares the store's statements once. */
export function createPostgresPool(config: DatabaseConfig): Pool {
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'graphql-auth-service',
  });
  // An idle connection the server drops (a restart, a failover) is replaced on next use;
  // without a listener the pool's error event would end the process.
  pool.on('error', () => undefined);
  return pool;
}
