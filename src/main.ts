import 'reflect-metadata';
import pino from 'pino';
import type { AppConfig } from './config/config';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { AuthServiceError } from '@graphql-auth-service/subgraph/errors';
import { ensureBootstrapAdmin } from './users/bootstrap-admin';
import { createServer } from './server/create-server';
import { createDependencies } from './server/dependencies';

const SHUTDOWN_DEADLINE_MS = 10_000;
const ROLLOUT_REPORT_INTERVAL_MS = 60_000;

/** `npm start`: configuration from the environment, validated once, then the server. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
  if (config.jwt.secretGenerated) {
    logger.warn('JWT_SECRET is not set: using a random secret; tokens die with this process and other instances cannot verify them');
  }
  const deps = await createDependencies(config, logger);
  if (config.bootstrapAdmin) {
    const outcome = await ensureBootstrapAdmin(deps.accounts, config.bootstrapAdmin);
    logger.info({ username: config.bootstrapAdmin.username, outcome }, 'bootstrap administrator');
  }
  const server = await createServer(deps);
  const url = await server.listen(config.http.port, config.http.host);
  printBanner(config, url);
  logger.info({ url, store: config.store, sessionCheck: config.sessions.check }, 'auth service listening');

  if (config.sessions.check === 'record') {
    // Until /metrics exists, the log is where an operator sees when enforce has become safe.
    setInterval(() => {
      logger.info(deps.sessionCheckCounter.snapshot(), 'rollout mode: sessions known vs. unknown since start');
    }, ROLLOUT_REPORT_INTERVAL_MS).unref();
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // In-flight requests finish; a shutdown that cannot finish (Redis gone mid-close) still ends.
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await server.close();
    await deps.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function printBanner(config: AppConfig, url: string): void {
  const lines = [`GraphQL auth service on ${url}`];
  if (config.store === 'memory') {
    lines.push(
      'STORE: IN MEMORY. Users and sessions live in this process and are LOST ON RESTART.',
      'Set REDIS_CLUSTER_NODES=host:port,... (or REDIS_URL) to keep them in Redis,',
      'or DATABASE_URL=postgres://... to keep them in PostgreSQL.',
    );
  }
  const admin = config.bootstrapAdmin;
  if (admin?.generated) {
    // Shown once on the terminal (not in the structured log): a throwaway admin for throwaway data.
    lines.push(`Development administrator: username "${admin.username}", password "${admin.password}"`);
  }
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '='.repeat(width + 4);
  process.stdout.write(`\n${rule}\n${lines.map((line) => `| ${line.padEnd(width)} |`).join('\n')}\n${rule}\n\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof AuthServiceError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`auth service failed to start: ${message}\n`);
  process.exit(1);
});
