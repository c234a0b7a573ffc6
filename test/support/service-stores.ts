import { freshDatabaseUrl } from './postgres';
import { clusterEnv, type Env, TEST_JWT_SECRET } from './test-env';

/** A store the service can run on, with a fresh place in it for each call of `env`. */
export interface ServiceStore {
  readonly name: string;
  /** A server environment on this store, empty, with the tests' defaults (fast bcrypt, quiet logs). */
  env(overrides?: Env): Promise<Env>;
}

/** The test PostgreSQL, in a schema of its own: the service migrates it at start. */
export async function postgresEnv(overrides: Env = {}): Promise<Env> {
  return {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: await freshDatabaseUrl(),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** Suites that hold the service to one behaviour on every persistent store run once per entry. */
export const SERVICE_STORES: readonly ServiceStore[] = [
  { name: 'Redis Cluster', env: async (overrides) => clusterEnv(overrides) },
  { name: 'PostgreSQL', env: postgresEnv },
];
