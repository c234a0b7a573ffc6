import bcrypt from 'bcryptjs';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { createBcryptWorkerPool } from '../../src/users/bcrypt-worker-pool';
import { createBcryptHasher } from '../../src/users/passwords';

describe('the bcrypt worker pool', () => {
  const pool = createBcryptWorkerPool(2, 64);
  afterAll(() => pool.close());

  it('makes hashes that bcryptjs on the main thread accepts, and checks hashes bcryptjs made', async () => {
    const hash = await pool.hash('correct horse battery', 4);
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await bcrypt.compare('correct horse battery', hash)).toBe(true);
    const mainThreadHash = await bcrypt.hash('another password', 4);
    expect(await pool.compare('another password', mainThreadHash)).toBe(true);
    expect(await pool.compare('wrong password', mainThreadHash)).toBe(false);
  });

  it('answers every job of a burst larger than the pool, each with its own result', async () => {
    const passwords = Array.from({ length: 12 }, (_, i) => `password number ${i}`);
    const hashes = await Promise.all(passwords.map((password) => pool.hash(password, 4)));
    const checks = await Promise.all(hashes.map((hash, i) => pool.compare(passwords[(i + 1) % 12], hash)));
    const own = await Promise.all(hashes.map((hash, i) => pool.compare(passwords[i], hash)));
    expect(checks.every((matched) => !matched)).toBe(true);
    expect(own.every(Boolean)).toBe(true);
  });

  it('refuses work once closed', async () => {
    const closing = createBcryptWorkerPool(1, 64);
    await closing.close();
    await expect(closing.hash('too late password', 4)).rejects.toThrow('closed');
  });

  it('refuses jobs past its queue bound with SERVICE_UNAVAILABLE, and still answers those it took', async () => {
    const small = createBcryptWorkerPool(1, 2);
    try {
      // Ten at once on one thread that holds two waiting: the thread takes one (or none yet, while it starts).
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => small.hash(`queued password ${i}`, 8)));
      const taken = outcomes.filter((outcome): outcome is PromiseFulfilledResult<string> => outcome.status === 'fulfilled');
      const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(taken.length).toBeGreaterThanOrEqual(2);
      expect(taken.length).toBeLessThanOrEqual(3);
      expect(refused.map((outcome) => outcome.reason instanceof ServiceUnavailableError && outcome.reason.code)).toEqual(
        Array(10 - taken.length).fill('SERVICE_UNAVAILABLE'),
      );
      for (const outcome of taken) expect(outcome.value).toMatch(/^\$2b\$08\$/);
      // Once the queue has drained, the pool takes work again.
      expect(await small.compare('queued password 0', await small.hash('queued password 0', 4))).toBe(true);
    } finally {
      await small.close();
    }
  });
});

describe('the password hasher', () => {
  it.each([0, 2])('verifies what it hashed with %i workers, and spends a compare on unknown users', async (workers) => {
    const hasher = await createBcryptHasher(4, { workers, maxQueue: 64 });
    try {
      const hash = await hasher.hash('a fine password');
      expect(await hasher.verify('a fine password', hash)).toBe(true);
      expect(await hasher.verify('a fine passworD', hash)).toBe(false);
      await expect(hasher.spendDummyVerify('anything')).resolves.toBeUndefined();
    } finally {
      await hasher.close();
    }
  });
});
