import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RedisAddress } from './address';
import { resolveRedisCli, resolveRedisServer } from './binaries';
import { waitForClusterReady } from './cluster-readiness';
import { validateClusterShape } from './cluster-shape';
import { createClusterWithRedisCli } from './create-cluster';
import { DEFAULT_HOST, noopLog } from './defaults';
import { createLaunch, startOrCleanUp } from './launch';
import type { NodeLayout } from './node-group';
import { reservePorts } from './ports';
import { clusterServerArgs } from './server-args';

const CLUSTER_READY_TIMEOUT_MS = 30_000;

export interface LocalCluster {
  /** Every node, in the order handed to `redis-cli --cluster create`. */
  nodes: RedisAddress[];
  /** The nodes that were masters once the cluster became ready. */
  masters: RedisAddress[];
  /** Temp dir holding one sub-directory per node; removed by stop(). */
  dir: string;
  /** Stops every node and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
  /** Gracefully stops one node; its dir and nodes.conf are kept for startNode. */
  stopNode(port: number): Promise<void>;
  /** Restarts a stopped node with its previous dir and config; resolves once it answers PING. */
  startNode(port: number): Promise<void>;
}

export interface LocalClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  host?: string;
  redisServerPath?: string;
  log?: (line: string) => void;
}

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const startedAt = Date.now();
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const shape = validateClusterShape(options.masters ?? 3, options.replicasPerMaster ?? 1);
  const redisServerPath = await resolveRedisServer(options.redisServerPath);
  const redisCliPath = await resolveRedisCli(redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const layout: NodeLayout = {
    dirFor: (port) => path.join(dir, `node-${port}`),
    argsFor: (port) => clusterServerArgs(host, port, path.join(dir, `node-${port}`)),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir });
  const { group, stopSignal } = launch;

  return startOrCleanUp(launch, async () => {
    const reservedPorts = await reservePorts(host, shape.totalNodes);
    log(`starting ${shape.totalNodes} redis-server nodes in ${dir}`);
    const portsInUse = new Set(reservedPorts);
    const nodes = await launchAll(reservedPorts.map((port) => group.launchOnReservedPort(port, portsInUse)));

    log(`creating cluster: ${shape.masters} masters, ${shape.replicasPerMaster} replica(s) each`);
    await createClusterWithRedisCli(redisCliPath, nodes, shape.replicasPerMaster, log, stopSignal);
    const readiness = await waitForClusterReady(nodes, shape, CLUSTER_READY_TIMEOUT_MS, stopSignal);
    const masters = readiness.filter((node) => node.role === 'master').map((node) => node.address);
    log(`cluster ready in ${Date.now() - startedAt} ms`);

    return {
      nodes,
      masters,
      dir,
      stop: () => launch.stop(),
      stopNode: async (port) => {
        // Every node is already down once the whole cluster is stopping.
        if (stopSignal.aborted) return;
        await group.stop(port);
      },
      startNode: (port) => group.start(port),
    };
  });
}

/** Like Promise.all, but waits for every launch to settle so cleanup never races a half-started node. */
async function launchAll(launches: Promise<RedisAddress>[]): Promise<RedisAddress[]> {
  const addresses: RedisAddress[] = [];
  for (const result of await Promise.allSettled(launches)) {
    if (result.status === 'rejected') throw result.reason;
    addresses.push(result.value);
  }
  return addresses;
}
