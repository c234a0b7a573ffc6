import type { FederationConfig, RuntimeEnvironment } from './config';
import type { EnvReader } from './env-reader';

const MIN_SECRET_BYTES = 32;

/**
 * Outside production, one fixed value: development instances sharing a Redis, and the
 * CLI beside them, must name a username's counters alike (a value made up per process
 * would leave `users unlock` looking under another name). Production must set its own.
 */
const DEVELOPMENT_SERVER_SECRET = 'development-only-server-secret-not-for-production';

/**
 * SERVER_SECRET keys the HMACs of identifiers the store keeps (attempted usernames).
 * Production needs it set, and the same on every instance: instances with different
 * secrets would count one username's failures apart.
 */
export function readServerSecret(read: EnvReader, environment: RuntimeEnvironment): string {
  const secret = read.raw('SERVER_SECRET');
  if (secret === undefined) {
    if (environment === 'production') {
      read.fail('SERVER_SECRET is required in production: at least 32 bytes, the same on every instance (openssl rand -base64 48)');
    }
    return DEVELOPMENT_SERVER_SECRET;
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) read.fail(`SERVER_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  return secret;
}

export function readFederation(read: EnvReader): FederationConfig {
  const gatewaySecret = read.raw('GATEWAY_SECRET');
  if (gatewaySecret !== undefined && Buffer.byteLength(gatewaySecret, 'utf8') < MIN_SECRET_BYTES) {
    read.fail(`GATEWAY_SECRET must be at least ${MIN_SECRET_BYTES} bytes (openssl rand -base64 48)`);
  }
  return { gatewaySecret };
}

/** METRICS_PORT: Prometheus on a listener of its own, never the same port as the API. */
export function readMetricsPort(read: EnvReader, apiPort: number): number | undefined {
  if (read.raw('METRICS_PORT') === undefined) return undefined;
  const port = read.integer('METRICS_PORT', 0, 0, 65_535);
  if (port !== 0 && port === apiPort) read.fail('METRICS_PORT must differ from PORT: metrics are kept off the API port');
  return port;
}
