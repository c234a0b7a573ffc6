import { createServer, type Server } from 'node:net';
import { PortAllocationError } from './errors';

const CLUSTER_BUS_PORT_OFFSET = 10_000;
const PORT_RESERVATION_ATTEMPTS = 200;

function listen(host: string, port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
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
      const server = await listen(host, 0);
      if (!server) continue;
      heldServers.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') continue;
      const port = address.port;
      const busPort = port + CLUSTER_BUS_PORT_OFFSET;
      if (busPort > 65_535 || excluded.has(port) || excluded.has(busPort)) continue;
      const busServer = await listen(host, busPort);
      if (!busServer) continue;
      heldServers.push(busServer);
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
