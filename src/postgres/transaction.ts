import type { Pool, PoolClient } from 'pg';
import { failClosedOnPostgres, POSTGRES_OPERATION_DEADLINE_MS } from '@graphql-auth-service/subgraph/postgres/unavailable';

/**
 * Runs `work` in one transaction on one pooled connection: committed when it returns,
 * rolled back when it throws. A connection that failed mid-way is discarded, not
 * returned to the pool. Connection failures and the deadline answer SERVICE_UNAVAILABLE.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return failClosedOnPostgres(async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }, POSTGRES_OPERATION_DEADLINE_MS);
}
