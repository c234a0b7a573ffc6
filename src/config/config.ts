import type { AccountsConfig } from '../accounts/accounts-config';
import type { BruteForceConfig } from '../brute-force/policy';
import type { MailConfig } from '../mail/mail-config';
import type { SecondFactorsConfig } from '../second-factors/second-factors-config';
import type { BootstrapAdminConfig } from '../users/bootstrap-admin';
import type { SessionConfig } from '@graphql-auth-service/subgraph/sessions/session-config';
import type { HostPort, RedisConfig } from '@graphql-auth-service/subgraph/redis/redis-config';
import type { SigningKeySet } from '../tokens/signing-key-set';
import type { BcryptPoolConfig } from '../users/passwords';
import type { DatabaseConfig } from '../postgres/database-config';

export type RuntimeEnvironment = 'development' | 'production' | 'test';

/** Where users, sessions and login counters live: one store for all of them. */
export type StoreKind = 'memory' | 'redis' | 'postgres';

export interface JwtConfig {
  /** Read and checked once at start: the active signing key and the keys kept to verify. */
  readonly signingKeys: SigningKeySet;
  /** True when no key was given and a random secret was made (development only). */
  readonly secretGenerated: boolean;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface HttpConfig extends HostPort {
  /** Browser origins allowed to call with credentials (CORS); empty means no cross-origin access. */
  readonly corsOrigins: readonly string[];
  /** Deliver the refresh token as an HttpOnly cookie instead of in the response body (SPA mode). */
  readonly refreshTokenCookie: boolean;
  /** Serve GraphiQL to browsers at GET /graphql (assets from node_modules, no CDN). */
  readonly graphiql: boolean;
  /** Serve the self-service account page at GET /account (from this process's own files). */
  readonly accountPage: boolean;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client address, in Express's
   * `trust proxy` terms: false (the socket's peer), a hop count, or addresses/CIDRs.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Where Prometheus `/metrics` is served on a listener of its own; undefined: on the API port outside production, nowhere in production. */
  readonly metricsPort: number | undefined;
}

/** Bounds checked on every GraphQL document before it runs. */
export interface GraphQLLimits {
  readonly maxDepth: number;
  /** Fields selected, counted after fragments are expanded (lists are bounded by their own page sizes). */
  readonly maxCost: number;
  readonly maxAliases: number;
  /** Operations in one HTTP request (a JSON array body); 1 turns batching off. */
  readonly maxBatch: number;
  /** Lexical tokens the parser reads before it gives up. */
  readonly maxTokens: number;
  readonly introspection: boolean;
  /** Entity representations in one request (`_entities`), each costing a lookup. */
  readonly maxRepresentations: number;
}

export interface FederationConfig {
  /**
   * Shared with the gateway (at least 32 bytes): when set, `_entities` and `_service`
   * answer only to requests that carry the gateway's signature.
   */
  readonly gatewaySecret: string | undefined;
}

export type AuthProviderConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'remote'; readonly url: string; readonly timeoutMs: number };

export interface DurabilityConfig {
  /** Replicas that must confirm a revocation (and any write that takes access away) before it is acknowledged. */
  readonly replicas: number;
  readonly timeoutMs: number;
}

export interface AppConfig {
  readonly environment: RuntimeEnvironment;
  readonly logLevel: LogLevel;
  readonly http: HttpConfig;
  readonly store: StoreKind;
  /** Redis's address and access when the store is Redis (else `kind: 'memory'`). */
  readonly redis: RedisConfig;
  /** The database when the store is PostgreSQL. */
  readonly database: DatabaseConfig | undefined;
  readonly redisKeyPrefix: string;
  readonly revocationDurability: DurabilityConfig;
  readonly jwt: JwtConfig;
  readonly sessions: SessionConfig;
  readonly bcryptCost: number;
  /** Worker threads that hash and compare passwords (0 keeps bcrypt on the event loop), and how many jobs may wait for them. */
  readonly bcryptPool: BcryptPoolConfig;
  readonly bruteForce: BruteForceConfig;
  readonly graphql: GraphQLLimits;
  readonly authProvider: AuthProviderConfig;
  readonly bootstrapAdmin: BootstrapAdminConfig | undefined;
  readonly federation: FederationConfig;
  /**
   * Keys the HMACs of identifiers kept in the store that must not be computable from
   * outside (attempted usernames in the login counters). At least 32 bytes; shared by
   * every instance. A fixed development value outside production when not set.
   */
  readonly serverSecret: string;
  readonly mail: MailConfig;
  /** Self-service: sign-up policy, verified addresses, and the mailed tokens' links and lifetimes. */
  readonly accounts: AccountsConfig;
  /** Authenticator apps, recovery codes, passkeys, and which authorities need them. */
  readonly secondFactors: SecondFactorsConfig;
}
