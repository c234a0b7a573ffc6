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

const UNHEALTHY_NODE_FLAGS = new Set(['fail', 'fail?', 'handshake', 'noaddr']);

/** Lines look like `<id> <ip:port@bus> <flags> <master-id|-> <ping> <pong> <epoch> <link-state> [slots...]`. */
export function summariseClusterNodes(reply: string): TopologyView {
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
