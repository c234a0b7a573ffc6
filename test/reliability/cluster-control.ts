import { Redis } from 'ioredis';
import type { LocalCluster, RedisAddress } from '../../tools/redis-cluster/launcher';

/** A short-lived plain connection to one node, for CLUSTER and INFO commands. */
async function onNode<T>(node: RedisAddress, use: (connection: Redis) => Promise<T>): Promise<T> {
  const connection = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  connection.on('error', () => undefined);
  try {
    await connection.connect();
    return await use(connection);
  } finally {
    connection.disconnect();
  }
}

async function firstAnswering<T>(nodes: readonly RedisAddress[], use: (connection: Redis) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (const node of nodes) {
    try {
      return await onNode(node, use);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

export interface SlotMaster extends RedisAddress {
  readonly slot: number;
}

/** The master serving `key`'s slot, as the live nodes see it now. */
export async function masterOfKey(cluster: LocalCluster, key: string, alive: readonly RedisAddress[] = cluster.nodes): Promise<SlotMaster> {
  return firstAnswering(alive, async (connection) => {
    const slot = Number(await connection.call('CLUSTER', 'KEYSLOT', key));
    const ranges = (await connection.call('CLUSTER', 'SLOTS')) as SlotRange[];
    const range = ranges.find(([start, end]) => slot >= start && slot <= end);
    if (!range) throw new Error(`slot ${slot} is not served`);
    return { slot, host: range[2][0], port: range[2][1] };
  });
}

/** kill -9: no shutdown, no goodbye to the cluster. */
export async function killNode(node: RedisAddress): Promise<void> {
  const pid = await onNode(node, async (connection) => Number(/process_id:(\d+)/.exec(await connection.info('server'))?.[1]));
  process.kill(pid, 'SIGKILL');
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Not yet: nodes are still electing, restarting or syncing.
    }
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until another node serves `slot` as master and the cluster says ok. */
export function untilFailedOver(cluster: LocalCluster, slot: number, dead: RedisAddress, deadlineMs = 30_000): Promise<RedisAddress> {
  const alive = cluster.nodes.filter((node) => node.port !== dead.port);
  return until(`a new master for slot ${slot}`, deadlineMs, () =>
    firstAnswering(alive, async (connection) => {
      const ranges = (await connection.call('CLUSTER', 'SLOTS')) as SlotRange[];
      const range = ranges.find(([start, end]) => slot >= start && slot <= end);
      const info = String(await connection.call('CLUSTER', 'INFO'));
      if (!range || range[2][1] === dead.port || !info.includes('cluster_state:ok')) return undefined;
      return { host: range[2][0], port: range[2][1] };
    }),
  );
}

/** Waits until every master has a replica online again (after a killed node rejoined as one). */
export function untilEveryMasterHasAReplica(cluster: LocalCluster, masters: number, deadlineMs = 30_000): Promise<true> {
  return until('a replica online for every master', deadlineMs, async () => {
    let covered = 0;
    for (const node of cluster.nodes) {
      const replication = await onNode(node, (connection) => connection.info('replication')).catch(() => '');
      if (/role:master/.test(replication) && /slave\d+:.*state=online/.test(replication)) covered += 1;
    }
    return covered >= masters ? true : undefined;
  });
}
