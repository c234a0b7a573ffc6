import type { RedisAddress } from './address';
import type { ClusterShape } from './cluster-shape';
import { ClusterNotReadyError, LauncherStoppedError } from './errors';
import { readNodeReadiness, type NodeReadiness } from './node-readiness';
import { sleep } from './timing';

const TOTAL_SLOTS = 16_384;
const READY_POLL_INTERVAL_MS = 50;

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

function isClusterReady(nodes: readonly NodeReadiness[], shape: ClusterShape): boolean {
  const masterCount = nodes.filter((node) => node.role === 'master').length;
  const fingerprints = new Set(nodes.map((node) => node.view?.fingerprint));
  return masterCount === shape.masters && fingerprints.size === 1 && nodes.every((node) => isNodeReady(node, shape));
}

/** Polls every node until all agree on a complete, healthy topology of `shape`. */
export async function waitForClusterReady(
  nodes: readonly RedisAddress[],
  shape: ClusterShape,
  timeoutMs: number,
  stopSignal: AbortSignal,
): Promise<NodeReadiness[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(nodes.map(readNodeReadiness));
    if (isClusterReady(states, shape)) return states;
    // A signal can stop the nodes mid-startup; do not poll dead nodes until the deadline.
    if (stopSignal.aborted) throw new LauncherStoppedError();
    if (Date.now() >= deadline) throw new ClusterNotReadyError(timeoutMs, states);
    await sleep(READY_POLL_INTERVAL_MS);
  }
}
