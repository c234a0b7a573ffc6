import pino from 'pino';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { loadConfig } from '../../src/config/load-config';
import type { AppConfig } from '../../src/config/config';
import { createServer } from '../../src/server/create-server';
import { type AppDependencies, createDependencies } from '../../src/server/dependencies';
import { ensureBootstrapAdmin } from '../../src/users/bootstrap-admin';
import { type Env } from './test-env';
import { createGraphQLCaller, type GraphQLCaller } from './graphql-caller';

export interface TestServer {
  readonly url: string;
  readonly config: AppConfig;
  readonly deps: AppDependencies;
  readonly call: GraphQLCaller;
  /** The metrics listener's URL when METRICS_PORT is set. */
  readonly metricsUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * A real server on a free loopback port, built exactly as `npm start` builds it,
 * from an environment map instead of process.env.
 */
export interface TestServerOptions {
  /** Collects every log line the server writes (JSON strings), at LOG_LEVEL or info when silent. */
  readonly logLines?: string[];
  /** The server's clock (tokens, sessions, lockouts); the system clock when absent. */
  readonly clock?: Clock;
}

export async function startTestServer(env: Env, options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig(env);
  const sink = options.logLines;
  const logger = sink
    ? pino({ level: config.logLevel === 'silent' ? 'info' : config.logLevel }, { write: (line: string) => void sink.push(line) })
    : pino({ level: config.logLevel });
  const deps = await createDependencies(config, logger, options.clock ? { clock: options.clock } : {});
  if (config.bootstrapAdmin) await ensureBootstrapAdmin(deps.accounts, config.bootstrapAdmin);
  const server = await createServer(deps);
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    config,
    deps,
    call: createGraphQLCaller(url),
    metricsUrl: server.metricsUrl,
    async close() {
      await server.close();
      await deps.close();
    },
  };
}
