/** Something that must not outlive this process. */
export interface GuardedResource {
  /** Best-effort synchronous cleanup; the only kind that can run inside process 'exit'. */
  cleanUpNow(): void;
  stop(): Promise<void>;
}

type ProcessLike = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * One set of process handlers shared by every running launcher. Per-launcher
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

export const orphanGuard = createOrphanGuard(process);
