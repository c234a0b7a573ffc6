import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { type BcryptEngine, createBcryptWorkerPool } from './bcrypt-worker-pool';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Spends one compare against a fixed hash of the same cost, so a login for an
   * unknown user takes as long as one with a wrong password.
   */
  spendDummyVerify(password: string): Promise<void>;
  close(): Promise<void>;
}

/** bcryptjs on the main thread, always in its asynchronous form: the sync one would block the event loop. */
export const inProcessBcrypt: BcryptEngine = {
  hash: (password, cost) => bcrypt.hash(password, cost),
  compare: (password, hash) => bcrypt.compare(password, hash),
  close: async () => undefined,
};

/** Where bcrypt runs: `workers` threads off the event loop, with at most `maxQueue` jobs waiting; 0 workers keeps it on the main thread. */
export interface BcryptPoolConfig {
  readonly workers: number;
  readonly maxQueue: number;
}

export async function createBcryptHasher(cost: number, pool: BcryptPoolConfig): Promise<PasswordHasher> {
  const engine = pool.workers > 0 ? createBcryptWorkerPool(pool.workers, pool.maxQueue) : inProcessBcrypt;
  const dummyHash = await engine.hash(randomBytes(18).toString('base64'), cost);
  return {
    hash: (password) => engine.hash(password, cost),
    verify: (password, hash) => engine.compare(password, hash),
    async spendDummyVerify(password) {
      await engine.compare(password, dummyHash);
    },
    close: () => engine.close(),
  };
}
