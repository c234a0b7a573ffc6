import { createServer, type Server } from 'node:net';
import { InvalidClusterOptionsError, PortAllocationError } from './errors';

const CLUSTER_BUS_PORT_OFFSET = 10_000;
const HIGHEST_PORT = 65_535;
const PORT_RESERVATION_ATTEMPTS = 200;

type Probe = { readonly server: Server } | { readonly refused: string };

/**
 * The listening server, or why the port could not be had. A tagged answer rather than
 * `instanceof Error`: under jest, errors made by Node's own modules come from another
 * realm and fail that test, and such an error would be taken for a server.
 */
function listen(host: string, port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ refused: error.code ?? error.message }));
    server.listen({ host, port, exclusive: true }, () => resolve({ server }));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Finds `count` ports on `host` that are free together with their cluster bus
 * port (port + 10000), none of them in `excluded`. Every probe socket stays
 * open until all ports are found, so the kernel cannot hand out the same port
 * twice within one reservation.
 */
export async function reservePorts(
  host: string,
  count: number,
  excluded: ReadonlySet<number> = new Set(),
): Promise<number[]> {
  const heldServers: Server[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count; attempt++) {
      if (attempt >= PORT_RESERVATION_ATTEMPTS) {
        throw new PortAllocationError(
          `could not find ${count} free port pairs (port and port+${CLUSTER_BUS_PORT_OFFSET}) on ${host} after ${attempt} attempts`,
        );
      }
      const probe = await listen(host, 0);
      if (!('server' in probe)) continue;
      const { server } = probe;
      heldServers.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') continue;
      const port = address.port;
      const busPort = port + CLUSTER_BUS_PORT_OFFSET;
      if (busPort > HIGHEST_PORT || excluded.has(port) || excluded.has(busPort)) continue;
      const busProbe = await listen(host, busPort);
      if (!('server' in busProbe)) continue;
      heldServers.push(busProbe.server);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(heldServers.map(closeServer));
  }
}

export function portsWithBusPorts(ports: Iterable<number>): Set<number> {
  const all = new Set<number>();
  for (const port of ports) {
    all.add(port);
    all.add(port + CLUSTER_BUS_PORT_OFFSET);
  }
  return all;
}

/** The highest first port that leaves room for `count` consecutive nodes and their cluster bus ports. */
export function highestFirstPort(count: number): number {
  return HIGHEST_PORT - CLUSTER_BUS_PORT_OFFSET - (count - 1);
}

export function validateFirstPort(firstPort: number, count: number): void {
  const highest = highestFirstPort(count);
  if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort > highest) {
    throw new InvalidClusterOptionsError(
      `firstPort must be an integer from 1 to ${highest} (${count} nodes, ` +
        `each with a cluster bus port at port+${CLUSTER_BUS_PORT_OFFSET}), got ${firstPort}`,
    );
  }
}

/**
 * The `count` ports from `firstPort` on, after checking that each one and its cluster
 * bus port is free on `host`. These ports were asked for by number, so one that is
 * taken fails the launch up front instead of moving a node somewhere unexpected.
 */
export async function claimConsecutivePorts(host: string, firstPort: number, count: number): Promise<number[]> {
  const ports = Array.from({ length: count }, (_, index) => firstPort + index);
  const unavailable: string[] = [];
  for (const port of portsWithBusPorts(ports)) {
    const probe = await listen(host, port);
    if ('server' in probe) await closeServer(probe.server);
    else unavailable.push(`${port} (${probe.refused})`);
  }
  if (unavailable.length > 0) {
    throw new PortAllocationError(
      `ports ${firstPort}-${firstPort + count - 1} and their cluster bus ports must be free on ${host}; ` +
        `not available: ${unavailable.join(', ')}`,
    );
  }
  return ports;
}
