import type { Pool, PoolClient } from 'pg';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';

/**
 * Runs `work` in one transaction on one pooled connection: committed when `keep` says its
 * answer should stand (always, by default), rolled back otherwise or when it throws. A
 * connection lost or unable to roll back is closed, not given back to the pool.
 * Connection failures and the deadline answer SERVICE_UNAVAILABLE, as for a single statement.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, keep: (answer: T) => boolean = () => true): Promise<T> {
  return failClosedOnPostgres(async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // The pool listens for a lost connection only while it is idle: unheard, the error would end the process.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const answer = await work(client);
      await client.query(keep(answer) ? 'COMMIT' : 'ROLLBACK');
      return answer;
    } catch (error) {
      if (!broken) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  });
}
