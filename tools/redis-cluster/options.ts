/** Where one redis-server listens. */
export interface RedisAddress {
  host: string;
  port: number;
}

export function formatAddress({ host, port }: RedisAddress): string {
  return `${host}:${port}`;
}

export interface StandaloneRedisOptions {
  /** Interface the servers bind to. Default `127.0.0.1`: nothing is reachable from the network. */
  host?: string;
  /**
   * The redis-server binary. Default: the first one on PATH, then in /usr/sbin, /usr/bin,
   * /usr/local/bin and /usr/local/sbin (Debian installs it in /usr/bin, and sbin dirs are
   * often missing from PATH). redis-cli is looked up next to it first.
   */
  redisServerPath?: string;
  /** Receives one line per step (node up, cluster created, ...). Default: silent. */
  log?: (line: string) => void;
  /**
   * Serve TLS only, with no plain-text port: a CA and a server certificate for `IP:127.0.0.1`
   * and `DNS:localhost` are made with openssl in the temp dir; in a cluster, the cluster bus
   * and replication use TLS too. `{ clientCertificates: true }` makes the nodes require a
   * client certificate from that CA (mutual TLS) and makes one for callers. Default: plain TCP.
   */
  tls?: boolean | { clientCertificates: boolean };
  /** Every node's password (`requirepass`, and `masterauth` for replication). Default: none. */
  password?: string;
}

/** What a client needs to reach a launch's nodes; empty for plain TCP without a password. */
export interface LocalRedisAccess {
  password?: string;
  tls?: LocalTlsMaterial;
}

/** The CA to trust, and the client certificate when the nodes require one: as PEM text and as files. */
export interface LocalTlsMaterial {
  ca: string;
  caFile: string;
  cert?: string;
  certFile?: string;
  key?: string;
  keyFile?: string;
}

export interface LocalClusterOptions extends StandaloneRedisOptions {
  /** Default 3, the fewest Redis Cluster accepts. */
  masters?: number;
  /** Default 1, so that every master can fail over. */
  replicasPerMaster?: number;
  /**
   * Port of the first node; the others follow on firstPort+1, firstPort+2, ... and each
   * node's cluster bus on its port+10000. Every one of them must be free. Default: free
   * ports picked by the kernel, so that concurrent launches never collide.
   */
  firstPort?: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MASTERS = 3;
export const DEFAULT_REPLICAS_PER_MASTER = 1;

export const noopLog = (): void => {};
