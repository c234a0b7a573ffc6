import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { BootstrapAdminConfig } from '../users/bootstrap-admin';
import type { AppConfig, AuthProviderConfig, LogLevel, RuntimeEnvironment, StoreKind } from './config';
import { ConfigError } from './config-error';
import { EnvReader } from './env-reader';
import type { BcryptPoolConfig } from '../users/passwords';
import { readAccounts, readMail } from './read-accounts';
import { readBruteForce, readGraphQLLimits, readTrustProxy } from './read-protection';
import { readRedis } from './read-redis';
import { readStore } from './read-store';
import { readFederation, readMetricsPort, readServerSecret } from './read-secrets';
import { readSigningKeys } from './signing-keys';
import { readOriginList } from './read-origins';
import { readSecondFactors } from './read-second-factors';

const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * Parses and validates the whole configuration once at start. Nothing else in the
 * service reads `process.env`. Throws one ConfigError naming every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const read = new EnvReader(env);
  const environment = read.oneOf<RuntimeEnvironment>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const redis = readRedis(read);
  const store = readStore(read, environment, redis);
  const signingKeys = readSigningKeys(read, environment);
  const lifetimes = readLifetimes(read);
  const authProvider = readAuthProvider(read);
  const port = read.integer('PORT', 4000, 0, 65_535);
  const mail = readMail(read, environment);
  const accounts = readAccounts(read, environment, mail);
  const serverSecret = readServerSecret(read, environment);
  const jwtIssuer = read.string('JWT_ISSUER', 'graphql-auth-service');

  const config: AppConfig = {
    environment,
    logLevel: read.oneOf<LogLevel>('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    http: {
      host: read.string('HOST', '0.0.0.0'),
      port,
      corsOrigins: readOriginList(read, 'CORS_ORIGINS') ?? [],
      refreshTokenCookie: read.boolean('REFRESH_TOKEN_COOKIE', false),
      graphiql: read.boolean('GRAPHIQL', environment === 'development'),
      accountPage: read.boolean('ACCOUNT_PAGE', true),
      trustProxy: readTrustProxy(read),
      metricsPort: readMetricsPort(read, port),
    },
    store: store.kind,
    redis,
    database: store.database,
    redisKeyPrefix: read.string('REDIS_KEY_PREFIX', 'auth:'),
    revocationDurability: {
      replicas: read.integer('REVOCATION_REPLICAS', 1, 0, 10),
      timeoutMs: read.duration('REVOCATION_WAIT_TIMEOUT', '1s', 10),
    },
    jwt: {
      signingKeys: signingKeys.keys,
      secretGenerated: signingKeys.generated,
      issuer: jwtIssuer,
      audience: read.string('JWT_AUDIENCE', 'graphql-api'),
      accessTokenTtlMs: lifetimes.accessTokenTtlMs,
    },
    sessions: {
      maxTtlMs: lifetimes.sessionMaxTtlMs,
      idleTtlMs: lifetimes.sessionIdleTtlMs,
      maxPerUser: read.integer('MAX_SESSIONS_PER_USER', 5, 0, 10_000),
      limitPolicy: read.oneOf('SESSION_LIMIT_POLICY', ['evict-oldest', 'reject'] as const, 'evict-oldest'),
      check: read.oneOf('SESSION_CHECK', ['enforce', 'record', 'off'] as const, 'enforce'),
      touchIntervalMs: SESSION_TOUCH_INTERVAL_MS,
    },
    bcryptCost: read.integer('BCRYPT_COST', 12, 4, 31),
    bcryptPool: readBcryptPool(read),
    bruteForce: readBruteForce(read),
    graphql: readGraphQLLimits(read, environment),
    authProvider,
    bootstrapAdmin: readBootstrapAdmin(read, environment, store.kind, authProvider),
    federation: readFederation(read),
    serverSecret,
    mail,
    accounts,
    secondFactors: readSecondFactors(read, { environment, serverSecret, appUrl: accounts.appUrl, jwtIssuer }),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
}

interface Lifetimes {
  readonly accessTokenTtlMs: number;
  readonly sessionMaxTtlMs: number;
  readonly sessionIdleTtlMs: number;
}

/**
 * Access token ≤ idle timeout ≤ absolute maximum. SESSION_TTL is the older name of
 * SESSION_MAX_TTL and still accepted.
 */
function readLifetimes(read: EnvReader): Lifetimes {
  const problemsBefore = read.problems.length;
  const maxName = read.raw('SESSION_MAX_TTL') !== undefined ? 'SESSION_MAX_TTL' : 'SESSION_TTL';
  const legacy = read.raw('SESSION_TTL');
  if (maxName === 'SESSION_MAX_TTL' && legacy !== undefined && legacy !== read.raw('SESSION_MAX_TTL')) {
    read.fail('SESSION_TTL and SESSION_MAX_TTL are both set and differ: SESSION_TTL is the old name, set only SESSION_MAX_TTL');
  }
  const accessTokenTtlMs = read.duration('ACCESS_TOKEN_TTL', '15m', 1_000);
  const sessionMaxTtlMs = read.duration(maxName, '7d', 1_000);
  const sessionIdleTtlMs = read.raw('SESSION_IDLE_TTL') === undefined ? sessionMaxTtlMs : read.duration('SESSION_IDLE_TTL', '7d', 1_000);
  // Compared only when all were read fine: a fallback value is nothing the operator set.
  if (read.problems.length === problemsBefore) {
    if (sessionIdleTtlMs > sessionMaxTtlMs) {
      read.fail(`SESSION_IDLE_TTL must not be longer than ${maxName} (no refresh extends a session past its maximum)`);
    }
    if (accessTokenTtlMs > Math.min(sessionIdleTtlMs, sessionMaxTtlMs)) {
      const shortest = sessionIdleTtlMs < sessionMaxTtlMs ? 'SESSION_IDLE_TTL' : maxName;
      read.fail(`ACCESS_TOKEN_TTL must not be longer than ${shortest} (a token cannot outlive its session)`);
    }
  }
  return { accessTokenTtlMs, sessionMaxTtlMs, sessionIdleTtlMs };
}


function readAuthProvider(read: EnvReader): AuthProviderConfig {
  const kind = read.oneOf('AUTH_PROVIDER', ['local', 'remote'] as const, 'local');
  const url = read.raw('REMOTE_AUTH_URL');
  if (kind === 'local') {
    if (url !== undefined) read.fail('REMOTE_AUTH_URL is set but AUTH_PROVIDER is not remote');
    return { kind };
  }
  if (url === undefined || !/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) {
    read.fail('REMOTE_AUTH_URL: AUTH_PROVIDER=remote needs the http:// or https:// URL of the authentication endpoint');
  }
  return { kind, url: url ?? '', timeoutMs: read.duration('REMOTE_AUTH_TIMEOUT', '3s', 100) };
}

function readBootstrapAdmin(
  read: EnvReader,
  environment: RuntimeEnvironment,
  store: StoreKind,
  authProvider: AuthProviderConfig,
): BootstrapAdminConfig | undefined {
  const username = read.raw('BOOTSTRAP_ADMIN_USERNAME');
  const password = read.raw('BOOTSTRAP_ADMIN_PASSWORD');
  if (authProvider.kind === 'remote') {
    if (username !== undefined || password !== undefined) {
      read.fail('BOOTSTRAP_ADMIN_USERNAME/PASSWORD have no effect with AUTH_PROVIDER=remote: grant ROLE_ADMIN in the remote system');
    }
    return undefined;
  }
  if (username !== undefined && password !== undefined) {
    return { username, password, generated: false };
  }
  if (username !== undefined || password !== undefined) {
    read.fail('BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD must be set together');
    return undefined;
  }
  // A throwaway admin only where the data is throwaway too: development on the in-memory store.
  if (environment === 'development' && store === 'memory') {
    return { username: 'admin', password: randomBytes(12).toString('base64url'), generated: true };
  }
  return undefined;
}

/** Freezes plain data only: KeyObjects keep lazily cached state of their own and must stay extensible. */
function deepFreeze<T>(value: T): T {
  const isPlainData =
    Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);
  if (isPlainData) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Jobs a pool thread may have waiting: at cost 12 (~0.34 s a hash) about 11 s of work, within a client's patience. */
const BCRYPT_QUEUE_PER_WORKER = 32;

function readBcryptPool(read: EnvReader): BcryptPoolConfig {
  // One worker per core: logins use them all, at a lower priority than the event loop.
  const workers = read.integer('BCRYPT_WORKERS', availableParallelism(), 0, 64);
  return { workers, maxQueue: read.integer('BCRYPT_MAX_QUEUE', Math.max(1, workers) * BCRYPT_QUEUE_PER_WORKER, 1, 100_000) };
}
