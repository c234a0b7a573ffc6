import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Spends one compare against a fixed hash of the same cost, so a login for an
   * unknown user takes as long as one with a wrong password.
   */
  spendDummyVerify(password: string): Promise<void>;
}

/** bcryptjs, always the asynchronous form: the sync one would block the event loop. */
export async function createBcryptHasher(cost: number): Promise<PasswordHasher> {
  const dummyHash = await bcrypt.hash(randomBytes(18).toString('base64'), cost);
  return {
    hash: (password) => bcrypt.hash(password, cost),
    verify: (password, hash) => bcrypt.compare(password, hash),
    async spendDummyVerify(password) {
      await bcrypt.compare(password, dummyHash);
    },
  };
}
