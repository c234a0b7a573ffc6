import type { Logger } from 'pino';
import { createAccessTokenIssuer } from '../auth/access-token-issuer';
import { createLogin, type Login } from '../auth/login';
import { createRefresh, type Refresh } from '../auth/refresh';
import { createRequestAuthenticator, type RequestAuthenticator } from '../auth/request-authenticator';
import { createSessionCheckCounter, type SessionCheckCounter } from '../auth/session-check-stats';
import { type Clock, systemClock } from '../clock';
import type { AppConfig, AuthProviderConfig } from '../config/config';
import type { CredentialProvider } from '../credentials/credential-provider';
import type { FailureCounterStore } from '../brute-force/failure-counter-store';
import { createLoginThrottle, type LoginThrottle } from '../brute-force/login-throttle';
import { createMemoryFailureCounterStore } from '../brute-force/memory-failure-counter-store';
import { createRedisFailureCounterStore } from '../brute-force/redis-failure-counter-store';
import { countedAuthenticator, countedLogin } from '../observability/counted';
import { instrumentStore } from '../observability/instrument-store';
import { type AuthMetrics, createAuthMetrics } from '../observability/metrics';
import { createLocalProvider } from '../credentials/local-provider';
import { createRemoteProvider } from '../credentials/remote-provider';
import { createMemoryRemoteIdentityStore } from '../credentials/memory-remote-identity-store';
import { createRedisRemoteIdentityStore } from '../credentials/redis-remote-identity-store';
import type { RemoteIdentityStore } from '../credentials/remote-identity-store';
import { closeRedisClient, createRedisClient, type RedisClient } from '../redis/client';
import { createRedisKeys } from '../redis/keys';
import type { Durability } from '../redis/replication';
import { createMemorySessionStore } from '../sessions/memory-session-store';
import { createRedisSessionStore } from '../sessions/redis-session-store';
import { createSessionService, type SessionService } from '../sessions/session-service';
import type { SessionStore } from '../sessions/session-store';
import type { KeyRing } from '../tokens/key-ring';
import { type AccountService, createAccountService } from '../users/account-service';
import { createMemoryUserStore } from '../users/memory-user-store';
import { createBcryptHasher } from '../users/passwords';
import { createRedisUserStore } from '../users/redis-user-store';
import { backfillUsernameSkeletonsAtStart } from '../users/skeleton-backfill';
import type { UserStore } from '../users/user-store';

/** Everything the server is built from; tests build it with another config, never with fakes. */
export interface AppDependencies {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly redis: RedisClient | undefined;
  readonly users: UserStore;
  readonly sessionStore: SessionStore;
  readonly keyRing: KeyRing;
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly login: Login;
  readonly loginThrottle: LoginThrottle;
  readonly refresh: Refresh;
  readonly authenticate: RequestAuthenticator;
  readonly sessionCheckCounter: SessionCheckCounter;
  readonly metrics: AuthMetrics;
  close(): Promise<void>;
}

export interface DependencyOverrides {
  readonly clock?: Clock;
  /** An existing client to share (tests); otherwise one is made from the config and closed with the app. */
  readonly redis?: RedisClient;
}

export async function createDependencies(
  config: AppConfig,
  logger: Logger,
  overrides: DependencyOverrides = {},
): Promise<AppDependencies> {
  const clock = overrides.clock ?? systemClock;
  const ownsRedis = overrides.redis === undefined && config.redis.kind !== 'memory';
  const redis = overrides.redis ?? (config.redis.kind === 'memory' ? undefined : createRedisClient(config.redis));
  if (ownsRedis && redis) {
    // Without a listener ioredis prints every failed reconnect; the log says it once per outage instead.
    let reported = false;
    redis.on('error', (error: Error) => {
      if (!reported) logger.warn({ err: error.message }, 'Redis is unreachable; requests that need it fail closed');
      reported = true;
    });
    redis.on('ready', () => {
      if (reported) logger.info('Redis is reachable again');
      reported = false;
    });
    await redis.connect();
  }

  // A revoked session's tokens live at most one access-token lifetime: remember it that long.
  const revocationMemoryMs = config.jwt.accessTokenTtlMs;
  const sessionCheckCounter = createSessionCheckCounter();
  const metrics = createAuthMetrics(sessionCheckCounter);
  const stores = createStores(redis, config.redisKeyPrefix, clock, revocationMemoryMs, config.revocationDurability);
  const users = instrumentStore(stores.users, 'users', metrics.storeLatency);
  await backfillUsernameSkeletonsAtStart(users, logger);
  const sessionStore = instrumentStore(stores.sessionStore, 'sessions', metrics.storeLatency);
  const passwords = await createBcryptHasher(config.bcryptCost, config.bcryptWorkers);
  const { keyRing } = config.jwt;
  const audience = { issuer: config.jwt.issuer, audience: config.jwt.audience };
  const loginThrottle = createLoginThrottle({ store: stores.failureCounters, config: config.bruteForce, serverSecret: config.serverSecret, clock });
  const accounts = createAccountService({ users, sessions: sessionStore, passwords, clock, throttle: loginThrottle });
  const issueAccessToken = createAccessTokenIssuer({ keyRing, audience, accessTokenTtlMs: config.jwt.accessTokenTtlMs });

  return {
    config,
    logger,
    clock,
    redis,
    users,
    sessionStore,
    keyRing,
    accounts,
    sessions: createSessionService(sessionStore),
    metrics,
    login: countedLogin(createLogin({
      credentials: createCredentialProvider(config.authProvider, { accounts, identities: stores.remoteIdentities, clock, logger }),
      throttle: loginThrottle,
      sessions: sessionStore,
      issueAccessToken,
      clock,
      sessionConfig: config.sessions,
    }), metrics),
    loginThrottle,
    refresh: createRefresh({
      accounts,
      sessions: sessionStore,
      issueAccessToken,
      clock,
      sessionConfig: config.sessions,
      logger,
    }),
    authenticate: countedAuthenticator(createRequestAuthenticator({
      keyRing,
      audience,
      sessions: sessionStore,
      clock,
      mode: config.sessions.check,
      sessionTtlMs: config.sessions.maxTtlMs,
      touchIntervalMs: config.sessions.touchIntervalMs,
      counter: sessionCheckCounter,
    }), metrics),
    sessionCheckCounter,
    async close() {
      await passwords.close();
      if (ownsRedis && redis) await closeRedisClient(redis);
    },
  };
}

interface CredentialProviderDeps {
  readonly accounts: AccountService;
  readonly identities: RemoteIdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

type ProviderFactories = {
  readonly [Kind in AuthProviderConfig['kind']]: (config: Extract<AuthProviderConfig, { kind: Kind }>, deps: CredentialProviderDeps) => CredentialProvider;
};

/** Every credential provider by the AUTH_PROVIDER value that selects it. */
const PROVIDERS: ProviderFactories = {
  local: (_config, deps) => createLocalProvider(deps.accounts),
  remote: (config, deps) => createRemoteProvider({ url: config.url, timeoutMs: config.timeoutMs, ...deps }),
};

function createCredentialProvider(provider: AuthProviderConfig, deps: CredentialProviderDeps): CredentialProvider {
  const create = PROVIDERS[provider.kind] as (config: AuthProviderConfig, deps: CredentialProviderDeps) => CredentialProvider;
  return create(provider, deps);
}

function createStores(
  redis: RedisClient | undefined,
  keyPrefix: string,
  clock: Clock,
  revocationMemoryMs: number,
  durability: Durability,
): { users: UserStore; sessionStore: SessionStore; failureCounters: FailureCounterStore; remoteIdentities: RemoteIdentityStore } {
  if (!redis) {
    const users = createMemoryUserStore();
    const lookupAccount = async (id: string) => {
      const user = await users.findById(id);
      return user && { username: user.username, authorities: user.authorities, disabled: user.disabled, createdAt: user.createdAt };
    };
    return {
      users,
      sessionStore: createMemorySessionStore({ clock, lookupAccount, revocationMemoryMs }),
      failureCounters: createMemoryFailureCounterStore(),
      remoteIdentities: createMemoryRemoteIdentityStore(),
    };
  }
  const keys = createRedisKeys(keyPrefix);
  return {
    users: createRedisUserStore({ redis, keys, durability }),
    sessionStore: createRedisSessionStore({ redis, keys, clock, revocationMemoryMs, durability }),
    failureCounters: createRedisFailureCounterStore(redis, keys),
    remoteIdentities: createRedisRemoteIdentityStore(redis, keys),
  };
}
