import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { noAnswerWithin, withinDeadline } from '@graphql-auth-service/subgraph/redis/deadline';
import type { RedisConnectionConfig } from '@graphql-auth-service/subgraph/redis/redis-config';
import { describeRedisError, diagnoseRedis, innermostRedisError } from './connection-failure';

/**
 * Connects a client made from `config`. When that fails it is disconnected (no reconnects
 * in the background) and a ServiceUnavailableError says why in one line, naming the setting
 * to check: a refused password, an untrusted certificate, a node that does not answer.
 * `deadlineMs` bounds a silent connect (packets dropped by a firewall).
 */
export async function connectRedis(client: RedisClient, config: RedisConnectionConfig, deadlineMs?: number): Promise<void> {
  // ioredis rejects with "Connection is closed." or "None of startup nodes is available"; the error event says more.
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  client.on('error', remember);
  try {
    const connected = client.connect();
    await (deadlineMs === undefined ? connected : withinDeadline(connected, deadlineMs, () => noAnswerWithin(`${deadlineMs / 1000} s`)));
  } catch (error) {
    // Stops the retries; a client that has ended already would only arm ioredis' socket-destroy timer again.
    if (client.status !== 'end') client.disconnect();
    const seen = innermostRedisError(lastError ?? (error instanceof Error ? error : new Error(String(error))));
    // A cluster client does not pass on why a node let it down (a TLS error, say): ask the nodes.
    const reason = (await diagnoseRedis(config)) ?? describeRedisError(seen, config);
    throw new ServiceUnavailableError(reason, { cause: error });
  } finally {
    client.off('error', remember);
  }
}
