/** What a server process under load starts: its URL, and how to close it. */
export interface StartedServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The protocol every server process of the bench speaks with bench/server-child.ts:
 * one JSON line with its URL on stdout once it listens, its CPU time on an IPC
 * message `cpu`, a clean stop on SIGTERM, and a stop of its own when the IPC
 * channel closes (the bench died, however it died: no orphaned server).
 */
export function serveAsChild(start: () => Promise<StartedServer>): void {
  /** What stops this process cleanly; exits at once until the server is up. */
  let stop: () => void = () => process.exit(1);
  process.once('SIGTERM', () => stop());
  process.once('disconnect', () => stop());
  start().then(
    (server) => {
      let stopping = false;
      stop = () => {
        if (stopping) return;
        stopping = true;
        void server.close().finally(() => process.exit(0));
      };
      // CPU per request is steadier than throughput on a machine shared with others.
      process.on('message', (message) => {
        if (message === 'cpu') process.send?.(process.cpuUsage());
      });
      process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
