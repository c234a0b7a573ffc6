import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { highestFirstPort, startLocalCluster, startStandaloneRedis, type RedisAddress } from '../../tools/redis-cluster/launcher';
import { tryToConnect } from '../support/try-to-connect';

const TOTAL_SLOTS = 16_384;

function clusterNodesFromEnv(): RedisAddress[] {
  const raw = process.env.TEST_REDIS_CLUSTER_NODES;
  if (!raw) {
    throw new Error('TEST_REDIS_CLUSTER_NODES is not set; is test/support/global-setup.ts the jest globalSetup?');
  }
  return raw.split(',').map((entry) => {
    const [host, port] = entry.split(':');
    return { host, port: Number(port) };
  });
}

function parseInfo(info: string): Map<string, string> {
  return new Map(
    info
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

interface ClusterNodesEntry {
  id: string;
  flags: string[];
  masterId: string;
}

/** Parses CLUSTER NODES: `<id> <ip:port@bus> <flags> <master-id|-> ...` per line. */
function parseClusterNodes(reply: unknown): ClusterNodesEntry[] {
  if (typeof reply !== 'string') throw new Error(`unexpected CLUSTER NODES reply: ${String(reply)}`);
  return reply
    .trim()
    .split('\n')
    .map((line) => {
      const [id, , flags, masterId] = line.split(' ');
      return { id, flags: flags.split(','), masterId };
    });
}

describe('local Redis Cluster started by the global setup', () => {
  const startupNodes = clusterNodesFromEnv();
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = new Cluster(startupNodes, { lazyConnect: true });
    await cluster.connect();
  });

  afterAll(async () => {
    await cluster.quit();
  });

  it('reports cluster_state:ok with every slot assigned on every node', async () => {
    expect(startupNodes).toHaveLength(6);

    for (const address of startupNodes) {
      const node = new Redis({ ...address, lazyConnect: true });
      try {
        await node.connect();
        const info = parseInfo(await node.cluster('INFO'));
        expect({ node: address, state: info.get('cluster_state'), slots: Number(info.get('cluster_slots_assigned')) })
          .toEqual({ node: address, state: 'ok', slots: TOTAL_SLOTS });
      } finally {
        await node.quit();
      }
    }
  });

  it('has 3 healthy masters with exactly one replica each', async () => {
    const entries = parseClusterNodes(await cluster.cluster('NODES'));

    expect(entries.filter((entry) => entry.flags.some((flag) => flag.includes('fail')))).toEqual([]);
    const masters = entries.filter((entry) => entry.flags.includes('master'));
    const replicas = entries.filter((entry) => entry.flags.includes('slave'));
    expect(masters).toHaveLength(3);
    for (const master of masters) {
      expect(replicas.filter((replica) => replica.masterId === master.id)).toHaveLength(1);
    }
  });

  it('writes and reads keys that hash to slots on different masters', async () => {
    const keys = Array.from({ length: 30 }, (_, index) => `launcher-test:${index}`);
    const owners = new Set<string>();
    for (const key of keys) {
      const slot = await cluster.cluster('KEYSLOT', key);
      owners.add(cluster.slots[slot][0]);
    }
    expect(owners.size).toBe(3);

    try {
      await Promise.all(keys.map((key) => cluster.set(key, `value-of-${key}`)));
      const values = await Promise.all(keys.map((key) => cluster.get(key)));
      expect(values).toEqual(keys.map((key) => `value-of-${key}`));
    } finally {
      await Promise.all(keys.map((key) => cluster.del(key)));
    }
  });
});

describe('startStandaloneRedis', () => {
  it('serves commands until stopped, then leaves no listener and no dir behind', async () => {
    const redis = await startStandaloneRedis();
    const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await client.connect();
    await client.set('launcher-test', 'ok');
    expect(await client.get('launcher-test')).toBe('ok');
    await client.quit();
    expect(existsSync(redis.dir)).toBe(true);

    await redis.stop();

    expect(await tryToConnect(redis)).toMatchObject({ code: 'ECONNREFUSED' });
    expect(existsSync(redis.dir)).toBe(false);
    await expect(redis.stop()).resolves.toBeUndefined();
  });
});

describe('a machine without redis-server', () => {
  it('says how to install it instead of failing obscurely', async () => {
    const started = startStandaloneRedis({ redisServerPath: '/nonexistent/redis-server' });
    await expect(started).rejects.toThrow('redis-server was not found; install it with: apt-get install redis-server');
  });
});

describe('ports asked for by number', () => {
  it('refuses a first port that is taken up front, naming it, instead of failing on the probe', async () => {
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', () => resolve()));
    const { port } = held.address() as AddressInfo;
    try {
      // The held port as the first node's port, or (when that is too high to have a bus port) as its bus port.
      const firstPort = port <= highestFirstPort(6) ? port : port - 10_000;
      const started = startLocalCluster({ firstPort, masters: 3 });
      await expect(started).rejects.toThrow(`${port} (EADDRINUSE)`);
    } finally {
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });
});
