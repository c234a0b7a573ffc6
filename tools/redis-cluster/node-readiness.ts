import { formatAddress, type RedisAddress } from './address';
import { withConnection } from './connection';
import { errorMessage } from './error-message';
import { summariseClusterNodes, type TopologyView } from './topology';

/** One node's cluster, replication and topology state, or why it could not be read. */
export interface NodeReadiness {
  address: RedisAddress;
  clusterState?: string;
  slotsAssigned?: number;
  knownNodes?: number;
  clusterSize?: number;
  role?: string;
  connectedReplicas?: number;
  masterLinkStatus?: string;
  view?: TopologyView;
  error?: string;
}

function parseInfoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator > 0) fields.set(line.slice(0, separator), line.slice(separator + 1).trim());
  }
  return fields;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export async function readNodeReadiness(address: RedisAddress): Promise<NodeReadiness> {
  try {
    const [clusterInfo, clusterNodes, replicationInfo] = await withConnection(address, (client) =>
      Promise.all([client.cluster('INFO'), client.cluster('NODES'), client.info('replication')]),
    );
    if (typeof clusterNodes !== 'string') throw new Error('CLUSTER NODES did not return text');
    const cluster = parseInfoFields(clusterInfo);
    const replication = parseInfoFields(replicationInfo);
    return {
      address,
      clusterState: cluster.get('cluster_state'),
      slotsAssigned: optionalNumber(cluster.get('cluster_slots_assigned')),
      knownNodes: optionalNumber(cluster.get('cluster_known_nodes')),
      clusterSize: optionalNumber(cluster.get('cluster_size')),
      role: replication.get('role'),
      connectedReplicas: optionalNumber(replication.get('connected_slaves')),
      masterLinkStatus: replication.get('master_link_status'),
      view: summariseClusterNodes(clusterNodes),
    };
  } catch (error) {
    return { address, error: errorMessage(error) };
  }
}

export function describeReadiness(node: NodeReadiness): string {
  const where = formatAddress(node.address);
  if (node.error !== undefined) return `${where} unreachable (${node.error})`;
  const fields = [
    `cluster_state=${node.clusterState}`,
    `slots_assigned=${node.slotsAssigned}`,
    `known_nodes=${node.knownNodes}`,
    `cluster_size=${node.clusterSize}`,
    `role=${node.role}`,
    node.role === 'master' ? `replicas=${node.connectedReplicas}` : `master_link=${node.masterLinkStatus}`,
    `sees=${node.view?.masters}m/${node.view?.replicas}r/${node.view?.unhealthy}unhealthy`,
  ];
  return `${where} ${fields.join(' ')}`;
}
