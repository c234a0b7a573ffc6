export interface RedisAddress {
  host: string;
  port: number;
}

export function formatAddress({ host, port }: RedisAddress): string {
  return `${host}:${port}`;
}
