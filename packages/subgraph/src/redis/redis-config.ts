/** Where the store lives: a cluster by its seed nodes, a single node by URL, or this process's memory. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type RedisConfig =
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[] }
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'memory' };
