import type { Logger } from 'pino';
import { createMailThrottle } from '../accounts/mail-throttle';
import { createSecurityNotice } from '../accounts/security-notice';
import { createSelfService, type SelfService } from '../accounts/self-service';
import { createAccessTokenIssuer } from '../auth/access-token-issuer';
import { createLogin, type Login } from '../auth/login';
import { createStartSession } from '../auth/start-session';
import { createPasskeyLogin, type PasskeyLogin } from '../auth/passkey-login';
import type { PasskeyAssertion } from '../second-factors/passkey-assertion';
import type { PasskeyRegistration } from '../second-factors/passkey-registration';
import type { AuthenticatorApp } from '../second-factors/authenticator-app';
import type { SecondFactorStore } from '../second-factors/second-factor-store';
import { createSecondFactorServices } from './second-factor-services';
import { createRefresh, type Refresh } from '../auth/refresh';
import { createRequestAuthenticator, type RequestAuthenticator } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import { createSessionCheckCounter, type SessionCheckCounter } from '@graphql-auth-service/subgraph/auth/session-check-stats';
import type { LoginThrottle } from '../brute-force/login-throttle';
import { type Clock, systemClock } from '@graphql-auth-service/subgraph/clock';
import type { AppConfig } from '../config/config';
import { countedAuthenticator, countedLogin } from '../observability/counted';
import { instrumentStore } from '../observability/instrument-store';
import { type AuthMetrics, createAuthMetrics } from '../observability/metrics';
import { closeRedisClient, createRedisClient, type RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { connectRedis } from '../redis/connect-redis';
import { describeRedisError, diagnoseRedis, innermostRedisError } from '../redis/connection-failure';
import type { SessionService } from '../sessions/session-service';
import type { SessionStore } from '../sessions/session-store';
import type { KeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import type { AccountService } from '../users/account-service';
import { createBcryptHasher } from '../users/passwords';
import { backfillUsernameSkeletonsAtStart } from '../users/skeleton-backfill';
import type { UserStore } from '../users/user-store';
import { createAccountMail } from './account-mail';
import { createAccountServices } from './account-services';
import { createCredentialProvider } from './credential-providers';
import { createStores, type StoreBackend } from './stores';
import type { Pool } from 'pg';
import { openPostgres } from '../postgres/connect-postgres';
import type { DatabaseConfig } from '../postgres/database-config';
import { startSweeper } from '../postgres/sweeper';
import { checkPostgresReadiness, checkReadiness as checkRedisReadiness, type Readiness } from '../observability/readiness';
import { keyRingOf } from '../tokens/signing-key-set';

/** Everything the server is built from; tests build it with another config, never with fakes. */
export interface AppDependencies {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly redis: RedisClient | undefined;
  /** The pool on the database when the store is PostgreSQL. */
  readonly postgres: Pool | undefined;
  readonly users: UserStore;
  readonly sessionStore: SessionStore;
  readonly keyRing: KeyRing;
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  /** Sign-up, verification, password reset, a new address, invitations: the flows that mail a link. */
  readonly selfService: SelfService;
  readonly login: Login;
  /** Setting up and turning off an authenticator app, with recovery codes. */
  readonly authenticatorApp: AuthenticatorApp;
  /** Adding and removing passkeys. */
  readonly passkeyRegistration: PasskeyRegistration;
  /** The options of a passkey sign-in. */
  readonly passkeyAssertion: PasskeyAssertion;
  readonly loginWithPasskey: PasskeyLogin;
  /** Every user's second factors: what the account page lists and an administrator resets. */
  readonly secondFactorStore: SecondFactorStore;
  readonly loginThrottle: LoginThrottle;
  readonly refresh: Refresh;
  readonly authenticate: RequestAuthenticator;
  readonly sessionCheckCounter: SessionCheckCounter;
  readonly metrics: AuthMetrics;
  /** /readyz: whether the store answers, which store it is, and when Redis does not, why (a refused password, an untrusted certificate, ...). */
  readonly checkReadiness: () => Promise<Readiness>;
  close(): Promise<void>;
}

export interface DependencyOverrides {
  readonly clock?: Clock;
  /** An existing client to share (tests); otherwise one is made from the config and closed with the app. */
  readonly redis?: RedisClient;
  /** An existing pool to share (tests), already migrated; otherwise one is opened from the config and closed with the app. */
  readonly postgres?: Pool;
}

export async function createDependencies(
  config: AppConfig,
  logger: Logger,
  overrides: DependencyOverrides = {},
): Promise<AppDependencies> {
  const clock = overrides.clock ?? systemClock;
  const ownsRedis = overrides.redis === undefined && config.store === 'redis';
  const redisConfig = config.store === 'redis' && config.redis.kind !== 'memory' ? config.redis : undefined;
  const redis = overrides.redis ?? (redisConfig && createRedisClient(redisConfig));
  if (ownsRedis && redis && redisConfig) {
    // Without a listener ioredis prints every failed reconnect; the log says it once per outage instead.
    // Before the first connect succeeds, connectRedis reports: a failed start is no outage.
    let connected = false;
    let reported = false;
    redis.on('error', (error: Error) => {
      if (connected && !reported) {
        const reason = describeRedisError(innermostRedisError(error), redisConfig);
        logger.warn({ err: error.message, reason }, 'Redis is unreachable; requests that need it fail closed');
      }
      reported = connected;
    });
    redis.on('ready', () => {
      if (reported) logger.info('Redis is reachable again');
      reported = false;
    });
    // A wrong password or an untrusted certificate stops the start, saying so.
    await connectRedis(redis, redisConfig);
    connected = true;
  }

  const ownsPostgres = overrides.postgres === undefined && config.database !== undefined;
  const postgres = overrides.postgres ?? (config.database && (await openDatabase(config.database, logger)));
  const sweeper = postgres && startSweeper(postgres, () => clock.now(), (error) =>
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'expired rows not swept this time; the next sweep tries again'),
  );
  const backend: StoreBackend = postgres ? { kind: 'postgres', postgres } : redis ? { kind: 'redis', redis } : { kind: 'memory' };
  const diagnose = redisConfig && (() => diagnoseRedis(redisConfig));
  const checkReadiness = postgres ? () => checkPostgresReadiness(postgres) : () => checkRedisReadiness(redis, diagnose);

  // A revoked session's tokens live at most one access-token lifetime: remember it that long.
  const revocationMemoryMs = config.jwt.accessTokenTtlMs;
  const sessionCheckCounter = createSessionCheckCounter();
  const metrics = createAuthMetrics(sessionCheckCounter);
  const stores = createStores(backend, {
    keyPrefix: config.redisKeyPrefix,
    clock,
    revocationMemoryMs,
    durability: config.revocationDurability,
    revocationMarksOnCheck: config.sessions.check === 'record',
  });
  const users = instrumentStore(stores.users, 'users', metrics.storeLatency);
  await backfillUsernameSkeletonsAtStart(users, logger);
  const sessionStore = instrumentStore(stores.sessionStore, 'sessions', metrics.storeLatency);
  const passwords = await createBcryptHasher(config.bcryptCost, config.bcryptPool);
  const keyRing = keyRingOf(config.jwt.signingKeys);
  const audience = { issuer: config.jwt.issuer, audience: config.jwt.audience };
  const { accounts, sessions, loginThrottle } = createAccountServices({
    config,
    stores: { ...stores, users, sessionStore },
    passwords,
    clock,
  });
  const issueAccessToken = createAccessTokenIssuer({ keyRing, audience, accessTokenTtlMs: config.jwt.accessTokenTtlMs });
  const startSession = createStartSession({
    sessions: sessionStore,
    issueAccessToken,
    clock,
    sessionConfig: config.sessions,
    requireVerifiedEmail: config.accounts.requireVerifiedEmail,
  });
  const accountMail = createAccountMail(config, logger);
  const secondFactorStore = instrumentStore(stores.secondFactors, 'second_factors', metrics.storeLatency);
  const secondFactors = createSecondFactorServices({
    config: config.secondFactors,
    store: secondFactorStore,
    users,
    throttle: loginThrottle,
    challenges: stores.accountTokens,
    clock,
    logger,
    notify: createSecurityNotice(users, accountMail.mailer),
    serverSecret: config.serverSecret,
  });
  const selfService = createSelfService({
    config: config.accounts,
    users,
    accounts,
    tokens: stores.accountTokens,
    mailer: accountMail.mailer,
    // Mails are counted in the login counters' store, under tags of their own.
    throttle: createMailThrottle({ store: stores.failureCounters, enabled: config.bruteForce.enabled, serverSecret: config.serverSecret, clock }),
    passwords,
    sessions: sessionStore,
  });

  return {
    config,
    logger,
    clock,
    redis,
    postgres,
    users,
    sessionStore,
    keyRing,
    accounts,
    sessions,
    selfService,
    metrics,
    checkReadiness,
    login: countedLogin(createLogin({
      credentials: createCredentialProvider(config.authProvider, { accounts, identities: stores.remoteIdentities, clock, logger }),
      throttle: loginThrottle,
      secondFactor: secondFactors.secondFactorCheck,
      startSession,
    }), metrics),
    authenticatorApp: secondFactors.authenticatorApp,
    passkeyRegistration: secondFactors.passkeyRegistration,
    passkeyAssertion: secondFactors.passkeyAssertion,
    loginWithPasskey: createPasskeyLogin(secondFactors.passkeyAssertion, startSession),
    secondFactorStore,
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
      await accountMail.close();
      await passwords.close();
      sweeper?.stop();
      if (ownsRedis && redis) await closeRedisClient(redis);
      if (ownsPostgres && postgres) await postgres.end();
    },
  };
}

/** Refuses to start on a database it cannot use, saying why; migrates it to this release's schema. */
async function openDatabase(database: DatabaseConfig, logger: Logger): Promise<Pool> {
  const { pool, migrations } = await openPostgres(database);
  if (migrations.applied.length > 0) logger.info({ versions: migrations.applied }, 'database schema migrated');
  return pool;
}
