import { systemClock } from '@graphql-auth-service/subgraph/clock';
import type { AppConfig } from '../config/config';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { closeRedisClient, createRedisClient, type RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { createAccountServices } from '../server/account-services';
import { createStores } from '../server/stores';
import { createBcryptHasher } from '../users/passwords';
import type { CommandContext } from './commands';
import { NoRedisConfiguredError } from './cli-errors';

/** A refused or unroutable connection fails at once; this bounds a silent one (a firewall dropping packets). */
const CONNECT_DEADLINE_MS = 5_000;

export interface OpenStore {
  readonly services: Pick<CommandContext, 'accounts' | 'sessions' | 'loginThrottle'>;
  close(): Promise<void>;
}

/**
 * The account services of the configured store, built by the same factories the
 * server uses, and nothing else: no HTTP server, metrics or token keys. One command
 * hashes at most one password, so bcrypt runs on this thread (no worker pool). The
 * CLI owns the Redis client, so a failed connect is its to report (exit 3) and to close.
 */
export async function openStore(config: AppConfig): Promise<OpenStore> {
  if (config.redis.kind === 'memory') throw new NoRedisConfiguredError();
  const redis = createRedisClient(config.redis);
  // Without a listener ioredis prints every failed reconnect; the CLI reports the failure once, on exit.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await connectWithin(redis, CONNECT_DEADLINE_MS, () => lastError);
    const stores = createStores(redis, {
      keyPrefix: config.redisKeyPrefix,
      clock: systemClock,
      revocationMemoryMs: config.jwt.accessTokenTtlMs,
      durability: config.revocationDurability,
    });
    const passwords = await createBcryptHasher(config.bcryptCost, { workers: 0, maxQueue: 1 });
    const services = createAccountServices({ config, stores, passwords, clock: systemClock });
    const close = async () => {
      await passwords.close();
      await closeRedisClient(redis);
    };
    return { services, close };
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

async function connectWithin(redis: RedisClient, deadlineMs: number, lastError: () => Error | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs / 1000} s`)), deadlineMs);
  });
  try {
    await Promise.race([redis.connect(), deadline]);
  } catch (error) {
    // ioredis rejects with "Connection is closed."; the error event before it says why.
    const reason = lastError()?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ServiceUnavailableError(`Redis is unavailable: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
