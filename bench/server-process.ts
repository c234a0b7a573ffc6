import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config';
import { createServer } from '../src/server/create-server';
import { createDependencies } from '../src/server/dependencies';

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
  for (let i = 0; i < users; i += 1) {
    if (!(await deps.accounts.findByUsername(`bench${i}`))) {
      await deps.accounts.create({ username: `bench${i}`, password, authorities: ['orders:read'] });
    }
  }
  const server = await createServer(deps);
  const url = await server.listen(0, '127.0.0.1');
  // The bench asks for this process's CPU time around each round: CPU per request
  // is steadier than throughput on a machine shared with others.
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.(process.cpuUsage());
  });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => deps.close())
      .finally(() => process.exit(0));
  });
}

serve().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
