import { Cluster, Redis } from 'ioredis';
import type { RedisConfig } from './redis-config';

export type RedisClient = Redis | Cluster;

/** Fail fast when Redis is gone: callers turn the error into SERVICE_UNAVAILABLE. */
const COMMAND_TIMEOUT_MS = 2_000;
const MAX_RETRIES_PER_REQUEST = 2;

const QUIT_TIMEOUT_MS = 2_000;

/**
 * QUIT lets in-flight commands finish, but needs a live connection: a client that is
 * reconnecting, or a cluster whose nodes are gone, is dropped instead of waiting forever.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
    await Promise.race([client.quit().catch(() => undefined), timedOut]);
    clearTimeout(timer);
  }
  client.disconnect();
}

export function createRedisClient(config: Exclude<RedisConfig, { kind: 'memory' }>): RedisClient {
  const nodeOptions = {
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    lazyConnect: true,
    // Commands issued in one tick (many requests' session checks) leave in one write per node.
    enableAutoPipelining: true,
  };
  if (config.kind === 'single') return new Redis(config.url, nodeOptions);
  return new Cluster(
    config.nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      // Session checks must see a logout at once, so every command goes to the masters.
      scaleReads: 'master',
      lazyConnect: true,
      enableAutoPipelining: true,
      // While every node is unreachable, fail each command at once instead of queueing it
      // without bound (a queue no timeout covers): the request answers 503 and nothing
      // stale replays when the cluster returns. Callers connect before the first command.
      enableOfflineQueue: false,
      redisOptions: { commandTimeout: COMMAND_TIMEOUT_MS },
      maxRedirections: 16,
      retryDelayOnFailover: 200,
    },
  );
}
