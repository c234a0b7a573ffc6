import { mkdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { LauncherStoppedError, RedisPortTakenError, UnknownNodeError } from './errors';
import { formatAddress, type LocalRedisAccess, type RedisAddress } from './options';
import { portsWithBusPorts, reservePorts } from './ports';
import { spawnAndAwaitPing, type RedisServerProcess } from './redis-process';

const STOP_GRACE_MS = 5_000;
const PORT_TAKEN_RETRIES = 3;
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface NodeLayout {
  /** Working dir of the node listening on `port`. */
  dirFor(port: number): string;
  /** redis-server arguments for the node listening on `port`. */
  argsFor(port: number): string[];
}

export interface LaunchDependencies {
  redisServerPath: string;
  host: string;
  layout: NodeLayout;
  log: (line: string) => void;
  /** How the group reaches its nodes (TLS, password); plain TCP when absent. */
  access?: LocalRedisAccess;
  /** Temp dir owned by this launch; removed on stop. */
  dir: string;
}

/** The supervised redis-server processes of one launch, keyed by port. */
export interface NodeGroup {
  /**
   * Spawns a node in a fresh dir and waits for PING. With `portsInUse`, the port was found
   * free by reservePorts and another process may have taken it since: the node then moves
   * to a fresh port that is not in `portsInUse`. Without, the port was asked for by number,
   * so losing it fails the launch.
   */
  launch(port: number, portsInUse?: ReadonlySet<number>): Promise<RedisAddress>;
  start(port: number): Promise<void>;
  stop(port: number): Promise<void>;
  stopAll(): Promise<void>;
  killAllNow(): void;
}

export interface Launch {
  group: NodeGroup;
  /** Aborted as soon as stop() (or a process exit/signal) begins; cancels redis-cli and readiness polling. */
  stopSignal: AbortSignal;
  stop(): Promise<void>;
}

/** A node group plus its temp dir behind one idempotent stop(), registered with the orphan guard. */
export function createLaunch({ dir, ...groupDependencies }: LaunchDependencies): Launch {
  const stopController = new AbortController();
  const group = createNodeGroup({ ...groupDependencies, stopSignal: stopController.signal });
  let stopping: Promise<void> | undefined;

  const resource: GuardedResource = {
    cleanUpNow() {
      stopController.abort();
      group.killAllNow();
      removeDirNow(dir);
    },
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        try {
          await group.stopAll();
          await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        } finally {
          releaseGuard();
        }
      })();
      return stopping;
    },
  };
  const releaseGuard = orphanGuard.protect(resource);
  return { group, stopSignal: stopController.signal, stop: () => resource.stop() };
}

/** Runs `start`; if it fails, stops whatever was started before rethrowing the original error. */
export async function startOrCleanUp<T>(launch: Launch, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await launch.stop().catch(() => {});
    throw error;
  }
}

function removeDirNow(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
  } catch {
    // Best effort only: this runs while the process is exiting.
  }
}

interface NodeGroupDependencies extends Omit<LaunchDependencies, 'dir'> {
  /** Aborted when the launch is stopped; no node may be spawned after that. */
  stopSignal: AbortSignal;
}

/** The dependencies plus the live processes, shared by the group's operations. */
interface GroupState extends NodeGroupDependencies {
  serversByPort: Map<number, RedisServerProcess>;
}

function createNodeGroup(dependencies: NodeGroupDependencies): NodeGroup {
  const state: GroupState = { ...dependencies, serversByPort: new Map() };
  const { serversByPort, log } = state;
  return {
    launch: (port, portsInUse) => launchNode(state, port, portsInUse),

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

async function launchNode(
  state: GroupState,
  initialPort: number,
  portsInUse: ReadonlySet<number> | undefined,
): Promise<RedisAddress> {
  const { host, layout, log, serversByPort } = state;
  let port = initialPort;
  for (let attempt = 1; ; attempt++) {
    await mkdir(layout.dirFor(port), { recursive: true });
    try {
      await startNode(state, port);
      return { host, port };
    } catch (error) {
      const mayMove = portsInUse !== undefined && attempt < PORT_TAKEN_RETRIES;
      if (!(error instanceof RedisPortTakenError) || !mayMove) throw error;
      serversByPort.delete(port);
      await rm(layout.dirFor(port), { recursive: true, force: true });
      const excluded = portsWithBusPorts([...portsInUse, ...serversByPort.keys()]);
      [port] = await reservePorts(host, 1, excluded);
      log(`port ${initialPort} was taken before redis-server could bind it; retrying on ${port}`);
    }
  }
}

async function startNode(
  { redisServerPath, host, layout, log, stopSignal, serversByPort, access }: GroupState,
  port: number,
): Promise<void> {
  // stopAll() only sees processes that exist when it runs; a later spawn would be orphaned.
  if (stopSignal.aborted) throw new LauncherStoppedError();
  const address = { host, port };
  await spawnAndAwaitPing({
    redisServerPath,
    address,
    args: layout.argsFor(port),
    access,
    onSpawned: (server) => serversByPort.set(port, server),
  });
  log(`redis-server ${formatAddress(address)} is up`);
}

/** Something that must not outlive this process. */
interface GuardedResource {
  /** Best-effort synchronous cleanup; the only kind that can run inside process 'exit'. */
  cleanUpNow(): void;
  stop(): Promise<void>;
}

type ProcessLike = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

/**
 * One set of process handlers shared by every running launch. Per-launch
 * handlers would each see the others as "someone else handles this signal"
 * and nobody would ever re-raise it.
 */
function createOrphanGuard(proc: ProcessLike) {
  const resources = new Set<GuardedResource>();

  const onExit = (): void => {
    for (const resource of resources) resource.cleanUpNow();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    void Promise.allSettled([...resources].map((resource) => resource.stop())).then(() => {
      // Listening to a signal cancels Node's default "terminate"; restore it unless
      // someone else (e.g. the cluster script) has taken responsibility for exiting.
      if (proc.listenerCount(signal) === 0) proc.kill(proc.pid, signal);
    });
  };

  function installHandlers(): void {
    proc.on('exit', onExit);
    for (const signal of TERMINATING_SIGNALS) proc.on(signal, onSignal);
  }

  function removeHandlers(): void {
    proc.off('exit', onExit);
    for (const signal of TERMINATING_SIGNALS) proc.off(signal, onSignal);
  }

  return {
    /** Cleans `resource` up on process exit or a terminating signal until the returned release function is called. */
    protect(resource: GuardedResource): () => void {
      if (resources.size === 0) installHandlers();
      resources.add(resource);
      return () => {
        if (resources.delete(resource) && resources.size === 0) removeHandlers();
      };
    },
  };
}

const orphanGuard = createOrphanGuard(process);
