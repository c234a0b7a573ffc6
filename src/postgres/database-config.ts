/** Where the PostgreSQL store lives (DATABASE_URL) and how many connections each instance keeps. */
export interface DatabaseConfig {
  /** `postgres://user:password@host:port/db`, with libpq-style parameters (`sslmode`, `options`) as `pg` reads them. Never logged. */
  readonly url: string;
  readonly poolSize: number;
}
