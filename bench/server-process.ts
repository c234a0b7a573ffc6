import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config';
import { createServer } from '../src/server/create-server';
import { createDependencies } from '../src/server/dependencies';

/** What stops this process cleanly; exits at once until the server is up. */
let stop: () => void = () => process.exit(1);
process.once('SIGTERM', () => stop());
// The IPC channel closes when the bench dies, however it dies: no orphaned server.
process.once('disconnect', () => stop());

/**
 * The server under load, in a process of its own so the load generator does not
 * share its event loop. Seeds BENCH_USERS accounts (bench0, bench1, ...), prints
 * one JSON line with its URL, and stops on SIGTERM.
 */
async function serve(): Promise<void> {
  const config = loadConfig(process.env);
  const deps = await createDependencies(config, pino({ level: 'silent' }));
  const users = Number(process.env.BENCH_USERS ?? '0');
  const password = process.env.BENCH_PASSWORD ?? '';
  // Concurrently, so a pooled server hashes on every core (64 hashes at cost 12 take seconds each way).
  await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      if (!(await deps.accounts.findByUsername(`bench${i}`))) {
        await deps.accounts.create({ username: `bench${i}`, password, authorities: ['orders:read'] });
      }
    }),
  );
  const server = await createServer(deps);
  const url = await server.listen(0, '127.0.0.1');
  let stopping = false;
  stop = () => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => deps.close())
      .finally(() => process.exit(0));
  };
  // The bench asks for this process's CPU time around each round: CPU per request
  // is steadier than throughput on a machine shared with others.
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.(process.cpuUsage());
  });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
}

serve().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
