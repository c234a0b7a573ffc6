/**
 * Local Redis for tests, benchmarks, examples and `npm run cluster`: a Redis Cluster or a
 * standalone server from the machine's own redis-server, in a temp dir, torn down on stop()
 * and when this process exits or is signalled, so an interrupted run leaves nothing behind.
 * It is test tooling: the service never imports it, and `npm run build` does not ship it.
 *
 * The parts: options.ts (what a caller may ask for, and the defaults), ports.ts, redis-process.ts
 * (one server, from finding the binary to its exit), node-probe.ts (what a running node reports),
 * supervisor.ts (a launch's processes and temp dir, and their cleanup), cluster-topology.ts
 * (joining the nodes and waiting until all of them agree on the cluster), node-security.ts
 * (TLS and a password for the nodes), certificates.ts (the CA and certificates a TLS launch
 * makes with openssl), errors.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterNodeArgs, createClusterWithRedisCli, validateClusterShape, waitForClusterReady } from './cluster-topology';
import {
  DEFAULT_HOST,
  DEFAULT_MASTERS,
  DEFAULT_REPLICAS_PER_MASTER,
  noopLog,
  type LocalClusterOptions,
  type LocalRedisAccess,
  type RedisAddress,
  type StandaloneRedisOptions,
} from './options';
import { prepareNodeSecurity } from './node-security';
import { claimConsecutivePorts, reservePorts, validateFirstPort } from './ports';
import { resolveRedisCli, resolveRedisServer, serverArgs } from './redis-process';
import { createLaunch, startOrCleanUp, type NodeLayout } from './supervisor';

export type { RedisAddress, LocalClusterOptions, StandaloneRedisOptions, LocalRedisAccess, LocalTlsMaterial } from './options';
export { createCertificateAuthority, issueCertificate, type CertificateAuthority, type CertificateFiles } from './certificates';
export { highestFirstPort } from './ports';
export type { NodeReadiness, TopologyView } from './node-probe';
export {
  LocalRedisError,
  RedisServerMissingError,
  RedisCliMissingError,
  InvalidClusterOptionsError,
  OpensslMissingError,
  CertificateError,
  PortAllocationError,
  RedisNodeStartError,
  RedisPortTakenError,
  ClusterCreateError,
  ClusterNotReadyError,
  UnknownNodeError,
  LauncherStoppedError,
} from './errors';

const CLUSTER_READY_TIMEOUT_MS = 30_000;

export interface LocalCluster {
  /** Every node, in the order handed to `redis-cli --cluster create`. */
  nodes: RedisAddress[];
  /** The nodes that were masters once the cluster became ready. */
  masters: RedisAddress[];
  /** Temp dir holding one sub-directory per node (and `tls/` with TLS); removed by stop(). */
  dir: string;
  /** What a client needs to get in: the password and the TLS material, when the launch has them. */
  access: LocalRedisAccess;
  /** Stops every node and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
  /** Gracefully stops one node; its dir and nodes.conf are kept for startNode. */
  stopNode(port: number): Promise<void>;
  /** Restarts a stopped node with its previous dir and config; resolves once it answers PING. */
  startNode(port: number): Promise<void>;
}

export interface StandaloneRedis extends RedisAddress {
  /** Working dir of the server; removed by stop(). */
  dir: string;
  /** What a client needs to get in: the password and the TLS material, when the launch has them. */
  access: LocalRedisAccess;
  /** Stops the server and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const startedAt = Date.now();
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const shape = validateClusterShape(
    options.masters ?? DEFAULT_MASTERS,
    options.replicasPerMaster ?? DEFAULT_REPLICAS_PER_MASTER,
  );
  const { firstPort } = options;
  if (firstPort !== undefined) validateFirstPort(firstPort, shape.totalNodes);
  const redisServerPath = await resolveRedisServer(options.redisServerPath);
  const redisCliPath = await resolveRedisCli(redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const security = await withDirRemovedOnFailure(dir, () => prepareNodeSecurity(dir, options));
  const { access } = security;
  const layout: NodeLayout = {
    dirFor: (port) => path.join(dir, `node-${port}`),
    argsFor: (port) => clusterNodeArgs(host, port, path.join(dir, `node-${port}`), security),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir, access });
  const { group, stopSignal } = launch;

  return startOrCleanUp(launch, async () => {
    const ports =
      firstPort === undefined
        ? await reservePorts(host, shape.totalNodes)
        : await claimConsecutivePorts(host, firstPort, shape.totalNodes);
    log(`starting ${shape.totalNodes} redis-server nodes in ${dir}`);
    // Ports found free may be lost to another process before redis-server binds them; only those may move.
    const portsInUse = firstPort === undefined ? new Set(ports) : undefined;
    const nodes = await launchAll(ports.map((port) => group.launch(port, portsInUse)));

    log(`creating cluster: ${shape.masters} masters, ${shape.replicasPerMaster} replica(s) each`);
    await createClusterWithRedisCli(redisCliPath, nodes, shape.replicasPerMaster, log, stopSignal, access);
    const readiness = await waitForClusterReady(nodes, shape, CLUSTER_READY_TIMEOUT_MS, stopSignal, access);
    const masters = readiness.filter((node) => node.role === 'master').map((node) => node.address);
    log(`cluster ready in ${Date.now() - startedAt} ms`);

    return {
      nodes,
      masters,
      dir,
      access,
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

export async function startStandaloneRedis(options: StandaloneRedisOptions = {}): Promise<StandaloneRedis> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const redisServerPath = await resolveRedisServer(options.redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-standalone-'));
  const security = await withDirRemovedOnFailure(dir, () => prepareNodeSecurity(dir, options));
  const { access } = security;
  const layout: NodeLayout = {
    dirFor: () => dir,
    argsFor: (port) => serverArgs(host, port, dir, security),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir, access });

  return startOrCleanUp(launch, async () => {
    const [reservedPort] = await reservePorts(host, 1);
    const { port } = await launch.group.launch(reservedPort, new Set());
    return { host, port, dir, access, stop: () => launch.stop() };
  });
}

/** Runs `step`, which writes into `dir` before any launch owns it; a failure takes `dir` with it. */
async function withDirRemovedOnFailure<T>(dir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
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
