import { Redis } from 'ioredis';
import { accessOptions, singleNodeTarget } from './client';
import { noAnswerWithin, withinDeadline } from './deadline';
import type { RedisConnectionConfig } from './redis-config';

/** What one node said to a fresh connection: nothing wrong, or the error that stopped it. */
export interface NodeProbe {
  /** `host:port`, as configured. */
  readonly address: string;
  /** The socket, TLS or reply error (WRONGPASS, NOAUTH, a certificate code, ECONNREFUSED, ...). */
  readonly error?: Error;
}

/** Seed nodes asked at most: enough to tell one dead node from a wrong setting. */
const MAX_NODES_PROBED = 3;

/**
 * Opens one short-lived connection to each seed node (to the node, for a single one) with the
 * client's own credentials and TLS, and PINGs. It says why a client cannot get in, which a
 * cluster client hides behind "Failed to refresh slots cache". Never retries; never throws.
 */
export async function probeRedisNodes(config: RedisConnectionConfig, timeoutMs: number): Promise<NodeProbe[]> {
  if (config.kind === 'single') {
    const { url, access } = singleNodeTarget(config);
    const address = URL.canParse(url) ? new URL(url).host : url;
    return [await probe(address, new Redis(url, { ...probeOptions(timeoutMs), ...access }), timeoutMs)];
  }
  const access = accessOptions(config);
  return Promise.all(
    config.nodes.slice(0, MAX_NODES_PROBED).map((node) =>
      probe(`${node.host}:${node.port}`, new Redis({ host: node.host, port: node.port, ...probeOptions(timeoutMs), ...access }), timeoutMs),
    ),
  );
}

function probeOptions(timeoutMs: number) {
  return {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    disableClientInfo: true,
  };
}

async function probe(address: string, client: Redis, timeoutMs: number): Promise<NodeProbe> {
  // connect() rejects with a bare "Connection is closed."; the error event before it says why.
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await withinDeadline(client.connect().then(() => client.ping()), timeoutMs, () => noAnswerWithin(`${timeoutMs} ms`));
    return { address };
  } catch (error) {
    return { address, error: cause ?? (error instanceof Error ? error : new Error(String(error))) };
  } finally {
    // A client that has ended already would only arm ioredis' socket-destroy timer again.
    if (client.status !== 'end') client.disconnect();
  }
}
