import { spawn } from 'node:child_process';
import {
  ClusterCreateError,
  ClusterNotReadyError,
  InvalidClusterOptionsError,
  LauncherStoppedError,
  RedisCliMissingError,
} from './errors';
import { readNodeReadiness, type NodeReadiness } from './node-probe';
import { clusterTlsArgs, redisCliAccess, type NodeSecurity } from './node-security';
import { formatAddress, type LocalRedisAccess, type RedisAddress } from './options';
import {
  createOutputTail,
  describeExit,
  isMissingBinary,
  raceWithTimeout,
  serverArgs,
  sleep,
  type ProcessExit,
} from './redis-process';

const TOTAL_SLOTS = 16_384;
const CLUSTER_CREATE_TIMEOUT_MS = 30_000;
const READY_POLL_INTERVAL_MS = 50;

export interface ClusterShape {
  totalNodes: number;
  masters: number;
  replicasPerMaster: number;
}

export function validateClusterShape(masters: number, replicasPerMaster: number): ClusterShape {
  if (!Number.isInteger(masters) || masters < 3) {
    throw new InvalidClusterOptionsError(`masters must be an integer >= 3 (Redis Cluster needs 3), got ${masters}`);
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new InvalidClusterOptionsError(`replicasPerMaster must be an integer >= 0, got ${replicasPerMaster}`);
  }
  return { masters, replicasPerMaster, totalNodes: masters * (1 + replicasPerMaster) };
}

export function clusterNodeArgs(host: string, port: number, dir: string, security: NodeSecurity): string[] {
  return [
    ...serverArgs(host, port, dir, security),
    ...clusterTlsArgs(security),
    '--cluster-enabled', 'yes',
    // Relative to --dir, so a restarted node finds its own config again.
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', '2000',
    // The default 5 s delay before a diskless full sync would leave replicas
    // unsynced (and so unable to fail over) for the first seconds of every test run.
    '--repl-diskless-sync-delay', '0',
  ];
}

export async function createClusterWithRedisCli(
  redisCliPath: string,
  nodes: readonly RedisAddress[],
  replicasPerMaster: number,
  log: (line: string) => void,
  stopSignal: AbortSignal,
  access: LocalRedisAccess,
): Promise<void> {
  const cli = redisCliAccess(access);
  const args = [
    ...cli.args,
    '--cluster', 'create',
    ...nodes.map(formatAddress),
    '--cluster-replicas', String(replicasPerMaster),
    '--cluster-yes',
  ];
  // redis-cli waits forever for nodes that have gone away, so stopping the launch must kill it too.
  const child = spawn(redisCliPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: stopSignal,
    killSignal: 'SIGKILL',
    // redis-cli colours its output whenever TERM looks like xterm, even into a pipe.
    env: { ...process.env, TERM: 'dumb', ...cli.env },
  });
  const tail = createOutputTail(200);
  const forward = (chunk: string): void => {
    for (const line of tail.append(chunk)) log(`redis-cli: ${line}`);
  };
  child.stdout.setEncoding('utf8').on('data', forward);
  child.stderr.setEncoding('utf8').on('data', forward);

  const finished = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
  });
  const exit = await raceWithTimeout(finished, CLUSTER_CREATE_TIMEOUT_MS);
  if (exit === undefined) {
    child.kill('SIGKILL');
    throw new ClusterCreateError(`did not finish within ${CLUSTER_CREATE_TIMEOUT_MS} ms`, tail.text());
  }
  if (stopSignal.aborted) throw new LauncherStoppedError();
  if (isMissingBinary(exit)) {
    throw new RedisCliMissingError([redisCliPath], { cause: exit.spawnError });
  }
  if (exit.spawnError || exit.code !== 0) {
    throw new ClusterCreateError(describeExit(exit), tail.text());
  }
}

/** Polls every node until all agree on a complete, healthy topology of `shape`. */
export async function waitForClusterReady(
  nodes: readonly RedisAddress[],
  shape: ClusterShape,
  timeoutMs: number,
  stopSignal: AbortSignal,
  access: LocalRedisAccess,
): Promise<NodeReadiness[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(nodes.map((node) => readNodeReadiness(node, access)));
    if (isClusterReady(states, shape)) return states;
    // A signal can stop the nodes mid-startup; do not poll dead nodes until the deadline.
    if (stopSignal.aborted) throw new LauncherStoppedError();
    if (Date.now() >= deadline) throw new ClusterNotReadyError(timeoutMs, states);
    await sleep(READY_POLL_INTERVAL_MS);
  }
}

function isClusterReady(nodes: readonly NodeReadiness[], shape: ClusterShape): boolean {
  const masterCount = nodes.filter((node) => node.role === 'master').length;
  const fingerprints = new Set(nodes.map((node) => node.view?.fingerprint));
  return masterCount === shape.masters && fingerprints.size === 1 && nodes.every((node) => isNodeReady(node, shape));
}

function isNodeReady(node: NodeReadiness, shape: ClusterShape): boolean {
  const clusterStateOk =
    node.clusterState === 'ok' &&
    node.slotsAssigned === TOTAL_SLOTS &&
    node.knownNodes === shape.totalNodes &&
    node.clusterSize === shape.masters;
  // Each node learns the other nodes' roles by gossip, well after cluster_state turns ok.
  const viewComplete =
    node.view !== undefined &&
    node.view.unhealthy === 0 &&
    node.view.masters === shape.masters &&
    node.view.replicasPerMaster.every((count) => count === shape.replicasPerMaster);
  if (!clusterStateOk || !viewComplete) return false;
  if (node.role === 'master') return node.connectedReplicas === shape.replicasPerMaster;
  // A replica whose initial sync has not finished is not eligible for failover yet.
  return node.role === 'slave' && node.masterLinkStatus === 'up';
}

