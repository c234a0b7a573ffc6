/** Where the store lives: a cluster by its seed nodes, a single node by URL, or this process's memory. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * TLS towards Redis. Present (even empty) means TLS on: the server's certificate is checked
 * against `ca`, or against Node's built-in roots when `ca` is absent, and must name the host
 * connected to. PEM text or its bytes, as read from the files.
 */
export interface RedisTlsConfig {
  /** The CA certificate(s) to trust instead of the built-in roots. */
  readonly ca?: string | Buffer;
  /** A client certificate and its key, for servers that require one (mutual TLS); both or neither. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

/**
 * How to get in: the ACL user (`default` when absent) and its password, and TLS. Each field
 * given here wins over the same one in a `single` node's URL (`rediss://user:password@host`).
 */
export interface RedisAccess {
  readonly username?: string;
  readonly password?: string;
  readonly tls?: RedisTlsConfig;
}

export type RedisConfig =
  | ({ readonly kind: 'cluster'; readonly nodes: readonly HostPort[] } & RedisAccess)
  | ({ readonly kind: 'single'; readonly url: string } & RedisAccess)
  | { readonly kind: 'memory' };

/** A Redis to connect to: a cluster or a single node. */
export type RedisConnectionConfig = Exclude<RedisConfig, { kind: 'memory' }>;
