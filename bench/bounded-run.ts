/** What a bounded run registers to undo: the cluster, the servers, the clients. */
export interface Cleanups {
  add(cleanup: () => Promise<void>): void;
}

/** Cleanups run last-registered first, each at most once: on success, error, deadline or signal. */
function createCleanups() {
  const cleanups: (() => Promise<void>)[] = [];
  return {
    add(cleanup: () => Promise<void>) {
      cleanups.push(cleanup);
    },
    async runAll() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    },
  };
}

export interface BoundedRun {
  /** Names the run in its failure message. */
  readonly name: string;
  readonly deadlineMs: number;
  readonly log: (line: string) => void;
}

/** Resolves to the exit code: 0, or the signal's or the deadline's once the run was stopped. */
async function runToExitCode({ deadlineMs, log }: BoundedRun, work: (cleanups: Cleanups) => Promise<void>): Promise<number> {
  const cleanups = createCleanups();
  let stoppedWith: number | undefined;
  const stopWith = (code: number) => {
    stoppedWith ??= code;
    void cleanups.runAll().finally(() => process.exit(code));
  };
  const deadline = setTimeout(() => {
    log(`past ${deadlineMs / 60_000} minutes, stopping`);
    stopWith(1);
  }, deadlineMs);
  // Listeners that stay (not once), so the launcher's own signal handler leaves the exit to us.
  process.on('SIGINT', () => stopWith(130));
  process.on('SIGTERM', () => stopWith(143));
  try {
    await work(cleanups);
    return 0;
  } catch (error) {
    // Stopping pulls the cluster and the servers away under whatever was running: not a failure of its own.
    if (stoppedWith !== undefined) return stoppedWith;
    throw error;
  } finally {
    clearTimeout(deadline);
    await cleanups.runAll();
  }
}

/**
 * Runs `work` to its end, or until the deadline, SIGINT or SIGTERM stops it; in every case
 * runs the cleanups it registered, then exits this process.
 */
export function runBounded(run: BoundedRun, work: (cleanups: Cleanups) => Promise<void>): void {
  runToExitCode(run, work).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${run.name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
