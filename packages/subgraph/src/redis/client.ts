import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisAccess, RedisConnectionConfig } from './redis-config';

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

/**
 * A client for the configured cluster or node, not yet connected (`await client.connect()`).
 * With `tls` (or a `rediss://` URL) every connection is TLS; with `password` (and `username`
 * for an ACL user) every connection logs in first.
 */
export function createRedisClient(config: RedisConnectionConfig): RedisClient {
  const nodeOptions = {
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    lazyConnect: true,
    // Commands issued in one tick (many requests' session checks) leave in one write per node.
    enableAutoPipelining: true,
  };
  if (config.kind === 'single') {
    const { url, access } = singleNodeTarget(config);
    return new Redis(url, { ...nodeOptions, ...access });
  }
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
      redisOptions: { commandTimeout: COMMAND_TIMEOUT_MS, ...accessOptions(config) },
      // With TLS, connect to seed nodes by the name given, not by the address it resolves to,
      // so the certificate is checked against that name (managed services sign host names).
      ...(config.tls && { dnsLookup: keepHostName }),
      maxRedirections: 16,
      retryDelayOnFailover: 200,
    },
  );
}

/**
 * A single node's URL without credentials, and the access options: `username` and
 * `password` from the config, else from the URL. `rediss://` turns TLS on by itself.
 */
export function singleNodeTarget(config: Extract<RedisConnectionConfig, { kind: 'single' }>): {
  url: string;
  access: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
} {
  const { url, username, password } = splitCredentials(config.url);
  const access = accessOptions({
    ...config,
    username: config.username ?? username,
    password: config.password ?? password,
  });
  const tls = access.tls ?? (/^rediss:/i.test(url) ? {} : undefined);
  return { url, access: { ...access, ...(tls && { tls }) } };
}

/** The connection options for one node: credentials when given, TLS when asked for. */
export function accessOptions({ username, password, tls }: RedisAccess): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  return {
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls && {
      tls: {
        ...(tls.ca !== undefined && { ca: tls.ca }),
        ...(tls.cert !== undefined && { cert: tls.cert }),
        ...(tls.key !== undefined && { key: tls.key }),
      },
    }),
  };
}

function splitCredentials(url: string): { url: string; username?: string; password?: string } {
  if (!URL.canParse(url)) return { url };
  const parsed = new URL(url);
  const username = parsed.username === '' ? undefined : decoded(parsed.username);
  const password = parsed.password === '' ? undefined : decoded(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), username, password };
}

/** Percent-decoded, as ioredis reads a URL's credentials; text that is not valid encoding stays as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function keepHostName(hostname: string, callback: (error: Error | null, address: string) => void): void {
  callback(null, hostname);
}
