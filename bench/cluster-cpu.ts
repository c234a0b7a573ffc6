import Redis from 'ioredis';
import type { RedisAddress } from '../tools/redis-cluster/launcher';

export interface ClusterCpuMeter {
  /** CPU time (user + system) all the nodes have used so far, in µs. */
  read(): Promise<number>;
  close(): void;
}

const seconds = (info: string, field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);

/**
 * Reads INFO cpu from every node, replicas included: on a 2-core machine Redis's
 * own CPU per request is part of what B costs that A does not.
 */
export function createClusterCpuMeter(nodes: readonly RedisAddress[]): ClusterCpuMeter {
  const clients = nodes.map(({ host, port }) => {
    const client = new Redis({ host, port, maxRetriesPerRequest: 1, retryStrategy: () => null });
    // A node gone (the run stopping) fails read() itself; the event would only repeat it.
    client.on('error', () => undefined);
    return client;
  });
  return {
    async read() {
      const infos = await Promise.all(clients.map((client) => client.info('cpu')));
      return infos.reduce((sum, info) => sum + (seconds(info, 'used_cpu_user') + seconds(info, 'used_cpu_sys')) * 1e6, 0);
    },
    close() {
      for (const client of clients) client.disconnect();
    },
  };
}
