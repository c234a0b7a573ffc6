/**
 * Asking a running node what it knows. It needs nothing else of the launcher, so both
 * the process and cluster code and the error messages that describe a node can use it.
 */
import { Redis } from 'ioredis';
import { formatAddress, type LocalRedisAccess, type RedisAddress } from './options';

const COMMAND_TIMEOUT_MS = 1_000;
const UNHEALTHY_NODE_FLAGS = new Set(['fail', 'fail?', 'handshake', 'noaddr']);

/** How one node sees the whole cluster, summarised from its CLUSTER NODES reply. */
export interface TopologyView {
  masters: number;
  replicas: number;
  /** Entries flagged fail, fail?, handshake or noaddr, or whose link is disconnected. */
  unhealthy: number;
  /** Replica count per master, sorted, e.g. [1, 1, 1]. */
  replicasPerMaster: number[];
  /** Role and master of every node; equal fingerprints mean two nodes agree on the topology. */
  fingerprint: string;
}

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

/**
 * Opens a short-lived connection that never retries, so a dead node fails fast instead of
 * queueing; over TLS and with the password when the launch has them.
 */
export async function withConnection<T>(
  address: RedisAddress,
  use: (client: Redis) => Promise<T>,
  access: LocalRedisAccess = {},
): Promise<T> {
  const { password, tls } = access;
  const client = new Redis({
    host: address.host,
    port: address.port,
    ...(password !== undefined && { password }),
    ...(tls && { tls: { ca: tls.ca, cert: tls.cert, key: tls.key } }),
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    protocol: 2,
    disableClientInfo: true,
  });
  // ioredis rejects a refused connect() with a bare "Connection is closed."; keep the socket error that explains it.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw socketError ?? error;
    }
    return await use(client);
  } finally {
    // After a refused connection the client is already 'end'; disconnecting it again would arm
    // ioredis' 2 s socket-destroy timer on a closed socket and keep the process alive for nothing.
    if (client.status !== 'end') client.disconnect();
  }
}

export async function readNodeReadiness(address: RedisAddress, access: LocalRedisAccess = {}): Promise<NodeReadiness> {
  try {
    const [clusterInfo, clusterNodes, replicationInfo] = await withConnection(
      address,
      (client) => Promise.all([client.cluster('INFO'), client.cluster('NODES'), client.info('replication')]),
      access,
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

/** Lines look like `<id> <ip:port@bus> <flags> <master-id|-> <ping> <pong> <epoch> <link-state> [slots...]`. */
function summariseClusterNodes(reply: string): TopologyView {
  const entries = reply
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', , flagList = '', masterId = '', , , , linkState = ''] = line.split(' ');
      const flags = flagList.split(',');
      const role = flags.includes('master') ? 'master' : flags.includes('slave') ? 'replica' : 'unknown';
      const healthy = linkState === 'connected' && !flags.some((flag) => UNHEALTHY_NODE_FLAGS.has(flag));
      return { id, role, masterId, healthy };
    });
  const masterIds = entries.filter((entry) => entry.role === 'master').map((entry) => entry.id);
  const replicas = entries.filter((entry) => entry.role === 'replica');
  return {
    masters: masterIds.length,
    replicas: replicas.length,
    unhealthy: entries.filter((entry) => !entry.healthy).length,
    replicasPerMaster: masterIds.map((id) => replicas.filter((replica) => replica.masterId === id).length).sort(),
    fingerprint: entries
      .map((entry) => `${entry.id}:${entry.role}:${entry.masterId}`)
      .sort()
      .join(','),
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
