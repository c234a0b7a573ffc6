import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { orphanGuard, type GuardedResource } from './exit-cleanup';
import { createNodeGroup, type NodeGroup, type NodeLayout } from './node-group';

export interface LaunchDependencies {
  redisServerPath: string;
  host: string;
  layout: NodeLayout;
  log: (line: string) => void;
  /** Temp dir owned by this launch; removed on stop. */
  dir: string;
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
