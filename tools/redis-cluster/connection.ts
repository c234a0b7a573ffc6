import { Redis } from 'ioredis';
import type { RedisAddress } from './address';

const COMMAND_TIMEOUT_MS = 1_000;

/** Opens a short-lived connection that never retries, so a dead node fails fast instead of queueing. */
export async function withConnection<T>(address: RedisAddress, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: address.host,
    port: address.port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    protocol: 2,
    disableClientInfo: true,
  });
  // ioredis rejects a refused connect() with a bare "Connection is closed."; keep the socket error that explains it.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw socketError ?? error;
    }
    return await use(client);
  } finally {
    // After a refused connection the client is already 'end'; disconnecting it again would arm
    // ioredis' 2 s socket-destroy timer on a closed socket and keep the process alive for nothing.
    if (client.status !== 'end') client.disconnect();
  }
}
