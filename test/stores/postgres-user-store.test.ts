import { createServer } from 'node:net';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { createPostgresPool } from '../../src/postgres/pool';
import { createPostgresUserStore } from '../../src/users/postgres-user-store';
import { UsernameTooSimilarError } from '../../src/users/user-store';
import { openTestSchema, type TestSchema } from '../support/postgres';
import { describeUserStoreContract } from './user-store.contract';

describeUserStoreContract(
  'PostgreSQL',
  async () => {
    const schema = await openTestSchema();
    return {
      store: createPostgresUserStore({ postgres: schema.pool }),
      // A row as written before skeletons were indexed: no skeleton.
      async createLegacyUser(user: UserRecord) {
        await schema.pool.query(
          `INSERT INTO users (id, username, password_hash, authorities, disabled, created_at, email, email_verified)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [user.id, user.username, user.passwordHash, user.authorities, user.disabled, user.createdAt, user.email ?? null, user.emailVerified ?? false],
        );
      },
      close: () => schema.close(),
    };
  },
  { legacyUsers: true },
);

function newUser(createdAt: number, username: string): UserRecord {
  const id = newUserId(createdAt);
  return { id, username, passwordHash: `opaque-hash-of-${id}`, authorities: [], disabled: false, createdAt };
}

describe('PostgreSQL user store across instances', () => {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await openTestSchema();
  });

  afterEach(async () => {
    await schema.close();
  });

  it('lets exactly one of 20 look-alikes sent through two instances at once win, and both instances find it', async () => {
    const other = createPostgresPool({ url: schema.url, poolSize: 4 });
    try {
      const instances = [createPostgresUserStore({ postgres: schema.pool }), createPostgresUserStore({ postgres: other })];
      const now = Date.now();
      const names = ['a', 'а', 'ɑ', 'α'].flatMap((a) => ['dmin', 'drnin', 'dmın', 'dmіn', 'ԁmin'].map((rest) => `${a}${rest}`));
      expect(new Set(names).size).toBe(20);
      const contenders = names.map((username, i) => newUser(now + i, username));

      const results = await Promise.allSettled(contenders.map((user, i) => instances[i % 2].create(user)));

      const winners = contenders.filter((_, i) => results[i].status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(UsernameTooSimilarError);
      }
      for (const instance of instances) {
        expect(await instance.findByUsername(winners[0].username)).toStrictEqual(winners[0]);
        expect(await instance.list(50)).toEqual({ nodes: [winners[0]], totalCount: 1, endCursor: expect.any(String), hasNextPage: false });
      }
    } finally {
      await other.end();
    }
  });

  it('answers SERVICE_UNAVAILABLE, not an internal error, when PostgreSQL cannot be reached', async () => {
    const port = await closedPort();
    const unreachable = createPostgresPool({ url: `postgres://auth@127.0.0.1:${port}/auth`, poolSize: 1 });
    try {
      const store = createPostgresUserStore({ postgres: unreachable });
      const user = newUser(Date.now(), 'ada');

      await expect(store.create(user)).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(store.findByUsername('ada')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      await expect(store.list(10)).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await unreachable.end();
    }
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
