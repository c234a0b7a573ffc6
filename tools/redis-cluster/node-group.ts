import { mkdir, rm } from 'node:fs/promises';
import { formatAddress, type RedisAddress } from './address';
import { LauncherStoppedError, RedisPortTakenError, UnknownNodeError } from './errors';
import { spawnAndAwaitPing } from './node-startup';
import { portsWithBusPorts, reservePorts } from './ports';
import type { RedisServerProcess } from './redis-process';

const STOP_GRACE_MS = 5_000;
const PORT_TAKEN_RETRIES = 3;

export interface NodeLayout {
  /** Working dir of the node listening on `port`. */
  dirFor(port: number): string;
  /** redis-server arguments for the node listening on `port`. */
  argsFor(port: number): string[];
}

export interface NodeGroupDependencies {
  redisServerPath: string;
  host: string;
  layout: NodeLayout;
  log: (line: string) => void;
  /** Aborted when the launch is stopped; no node may be spawned after that. */
  stopSignal: AbortSignal;
}

/** The supervised redis-server processes of one launch, keyed by port. */
export interface NodeGroup {
  /** Spawns a node in a fresh dir and waits for PING; moves to another port if this one was taken meanwhile. */
  launchOnReservedPort(port: number, portsInUse: ReadonlySet<number>): Promise<RedisAddress>;
  start(port: number): Promise<void>;
  stop(port: number): Promise<void>;
  stopAll(): Promise<void>;
  killAllNow(): void;
}

/** The dependencies plus the live processes, shared by the group's operations. */
interface GroupState extends NodeGroupDependencies {
  serversByPort: Map<number, RedisServerProcess>;
}

export function createNodeGroup(dependencies: NodeGroupDependencies): NodeGroup {
  const state: GroupState = { ...dependencies, serversByPort: new Map() };
  const { serversByPort, log } = state;
  return {
    launchOnReservedPort: (port, portsInUse) => launchOnReservedPort(state, port, portsInUse),

    async start(port) {
      const existing = serversByPort.get(port);
      if (!existing) throw new UnknownNodeError(port);
      if (existing.isRunning()) return;
      await startNode(state, port);
    },

    async stop(port) {
      const server = serversByPort.get(port);
      if (!server) throw new UnknownNodeError(port);
      await server.terminate(STOP_GRACE_MS);
      log(`redis-server ${formatAddress(server.address)} stopped`);
    },

    async stopAll() {
      await Promise.all([...serversByPort.values()].map((server) => server.terminate(STOP_GRACE_MS)));
    },

    killAllNow() {
      for (const server of serversByPort.values()) server.killNow();
    },
  };
}

async function launchOnReservedPort(
  state: GroupState,
  initialPort: number,
  portsInUse: ReadonlySet<number>,
): Promise<RedisAddress> {
  const { host, layout, log, serversByPort } = state;
  let port = initialPort;
  for (let attempt = 1; ; attempt++) {
    await mkdir(layout.dirFor(port), { recursive: true });
    try {
      await startNode(state, port);
      return { host, port };
    } catch (error) {
      if (!(error instanceof RedisPortTakenError) || attempt >= PORT_TAKEN_RETRIES) throw error;
      serversByPort.delete(port);
      await rm(layout.dirFor(port), { recursive: true, force: true });
      const excluded = portsWithBusPorts([...portsInUse, ...serversByPort.keys()]);
      [port] = await reservePorts(host, 1, excluded);
      log(`port ${initialPort} was taken before redis-server could bind it; retrying on ${port}`);
    }
  }
}

async function startNode(
  { redisServerPath, host, layout, log, stopSignal, serversByPort }: GroupState,
  port: number,
): Promise<void> {
  // stopAll() only sees processes that exist when it runs; a later spawn would be orphaned.
  if (stopSignal.aborted) throw new LauncherStoppedError();
  const address = { host, port };
  await spawnAndAwaitPing({
    redisServerPath,
    address,
    args: layout.argsFor(port),
    onSpawned: (server) => serversByPort.set(port, server),
  });
  log(`redis-server ${formatAddress(address)} is up`);
}
