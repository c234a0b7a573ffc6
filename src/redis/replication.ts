import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';

/** How many replicas must hold a write before it is acknowledged to the client. */
export interface Durability {
  readonly replicas: number;
  readonly timeoutMs: number;
}

export const NOT_DURABLE: Durability = { replicas: 0, timeoutMs: 0 };

type PipelineReply = [Error | null, unknown][] | null;

/**
 * Confirms that the writes just made on the master serving `routingKey` reached
 * `durability.replicas` of its replicas (Redis WAIT), so a failover right after
 * cannot undo them. Replication is asynchronous: without this, a logout answered
 * by a master that dies a moment later can come back as a live session.
 *
 * WAIT covers every earlier write of the connection that sends it; a keyed read in
 * the same pipeline routes it to the connection the write used (one per node).
 * A master with fewer replicas attached than asked (its replica just became the
 * master, or it has none) is waited for with what it has: no failover could then
 * resurrect the old state from a replica that does not exist. Throws
 * SERVICE_UNAVAILABLE when the replicas do not confirm in time: the write may or
 * may not have been applied, and retrying it is safe.
 */
export async function confirmReplicated(redis: RedisClient, routingKey: string, durability: Durability): Promise<void> {
  if (durability.replicas === 0) return;
  const role = checked(await redis.pipeline().exists(routingKey).role().exec())[1] as [string, number, unknown[]?];
  const attached = role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : 0;
  const needed = Math.min(durability.replicas, attached);
  if (needed === 0) return;
  const acknowledged = Number(
    checked(await redis.pipeline().exists(routingKey).call('WAIT', needed, durability.timeoutMs).exec())[1],
  );
  if (acknowledged < needed) {
    throw new ServiceUnavailableError('The change could not be confirmed by a replica; try again shortly', {
      logReason: `replicated to ${acknowledged} of ${needed} replicas`,
    });
  }
}

function checked(reply: PipelineReply): unknown[] {
  if (!reply) throw new Error('pipeline was discarded');
  return reply.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
