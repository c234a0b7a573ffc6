import type { KeyRing } from '../tokens/key-ring';

export type RuntimeEnvironment = 'development' | 'production' | 'test';
export type SessionLimitPolicy = 'evict-oldest' | 'reject';
export type SessionCheckMode = 'enforce' | 'record' | 'off';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type RedisConfig =
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[] }
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'memory' };

export interface JwtConfig {
  /** Built once at start: the active signing key and the keys kept to verify. */
  readonly keyRing: KeyRing;
  /** True when no key was given and a random secret was made (development only). */
  readonly secretGenerated: boolean;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlMs: number;
}

export interface SessionConfig {
  /** Absolute lifetime from login; no refresh extends it. */
  readonly maxTtlMs: number;
  /** A session not refreshed for this long ends; each refresh extends it, up to maxTtlMs. */
  readonly idleTtlMs: number;
  /** 0 means no cap. */
  readonly maxPerUser: number;
  readonly limitPolicy: SessionLimitPolicy;
  readonly check: SessionCheckMode;
  /** `lastSeenAt` is written at most once per this interval per session. */
  readonly touchIntervalMs: number;
}

export interface BootstrapAdminConfig {
  readonly username: string;
  readonly password: string;
  /** True when neither variable was set and a development admin was made up. */
  readonly generated: boolean;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface HttpConfig extends HostPort {
  /** Browser origins allowed to call with credentials (CORS); empty means no cross-origin access. */
  readonly corsOrigins: readonly string[];
  /** Deliver the refresh token as an HttpOnly cookie instead of in the response body (SPA mode). */
  readonly refreshTokenCookie: boolean;
  /** Serve GraphiQL to browsers at GET /graphql (assets from node_modules, no CDN). */
  readonly graphiql: boolean;
}

export type AuthProviderConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'remote'; readonly url: string; readonly timeoutMs: number };

export interface AppConfig {
  readonly environment: RuntimeEnvironment;
  readonly logLevel: LogLevel;
  readonly http: HttpConfig;
  readonly redis: RedisConfig;
  readonly redisKeyPrefix: string;
  readonly jwt: JwtConfig;
  readonly sessions: SessionConfig;
  readonly bcryptCost: number;
  readonly authProvider: AuthProviderConfig;
  readonly bootstrapAdmin: BootstrapAdminConfig | undefined;
}
