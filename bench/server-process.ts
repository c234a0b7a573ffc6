import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config';
import { createServer } from '../src/server/create-server';
import { createDependencies } from '../src/server/dependencies';
import { serveAsChild } from './child-protocol';

/**
 * The service under load, in a process of its own so the load generator does not
 * share its event loop. Seeds BENCH_USERS accounts (bench0, bench1, ...) first.
 */
serveAsChild(async () => {
  const config = loadConfig(process.env);
  // The request log is on, as in production; stdout is the bench's line protocol, so it goes to /dev/null.
  const deps = await createDependencies(config, pino({ level: config.logLevel }, pino.destination({ dest: '/dev/null', sync: true })));
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
  return { url, close: () => server.close().then(() => deps.close()) };
});
