import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { flatHashToRecord } from '../redis/flat-hash';
import { confirmReplicated, type Durability } from '../redis/replication';
import { failClosed, STORE_OPERATION_DEADLINE_MS } from '../redis/unavailable';
import { decodeCursor, encodeCursor } from './cursor';
import type { UserChanges, UserPage, UserRecord } from './user';
import { fromHash, toHash } from './user-hash';
import { UsernameTakenError, type UserStore } from './user-store';

export interface RedisUserStoreDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /** Replicas that must hold a change (disabling, a new password, fewer authorities) before it is acknowledged. */
  readonly durability: Durability;
}

/**
 * Accounts in Redis: one hash per user under the user's hash tag, a username key
 * claimed with SET NX (so two instances racing for one name cannot both win), and
 * a sorted set of ids for listing.
 */
export function createRedisUserStore({ redis, keys, durability }: RedisUserStoreDeps): UserStore {
  async function findById(id: string): Promise<UserRecord | undefined> {
    const hash = await failClosed(() => redis.hgetall(keys.user(id)));
    return fromHash(hash);
  }

  return {
    async create(user) {
      // Record first, then the name: a claimed name always leads to a record, and a crash
      // in between leaves only an unreachable record, never a name that no one can use.
      await failClosed(() => redis.hset(keys.user(user.id), toHash(user)));
      const claimed = await failClosed(() => redis.set(keys.username(user.username), user.id, 'NX'));
      if (claimed !== 'OK') {
        // The same account racing itself (two first logins of one remote user) is no conflict.
        if ((await failClosed(() => redis.get(keys.username(user.username)))) === user.id) return;
        await failClosed(() => redis.del(keys.user(user.id)));
        throw new UsernameTakenError(user.username);
      }
      await failClosed(() => redis.zadd(keys.userIndex(), 0, user.id));
    },
    findById,
    async findByUsername(username) {
      const id = await failClosed(() => redis.get(keys.username(username)));
      if (id === null) return undefined;
      const user = await findById(id);
      return user?.username === username ? user : undefined;
    },
    async update(id, changes: UserChanges) {
      const key = keys.user(id);
      const fields = toHash(changes);
      if (Object.keys(fields).length === 0) return findById(id);
      // HSET only if the record exists (an update must never create a half user), and
      // answer with the updated record in the same round trip.
      const flat = (await failClosed(async () => {
        const updated = await redis.eval(UPDATE_IF_EXISTS, 1, key, ...Object.entries(fields).flat());
        await confirmReplicated(redis, key, durability);
        return updated;
      }, STORE_OPERATION_DEADLINE_MS + durability.timeoutMs)) as string[];
      return fromHash(flatHashToRecord(flat));
    },
    async list(first, after): Promise<UserPage> {
      const afterId = after === undefined ? undefined : decodeCursor(after);
      const min = afterId === undefined ? '-' : `(${afterId}`;
      const [ids, totalCount] = await failClosed(() =>
        Promise.all([
          redis.zrangebylex(keys.userIndex(), min, '+', 'LIMIT', 0, first + 1),
          redis.zcard(keys.userIndex()),
        ]),
      );
      const pageIds = ids.slice(0, first);
      const users = await Promise.all(pageIds.map((id) => findById(id)));
      const last = pageIds.at(-1);
      return {
        nodes: users.filter((user): user is UserRecord => user !== undefined),
        totalCount,
        endCursor: last === undefined ? null : encodeCursor(last),
        hasNextPage: ids.length > first,
      };
    },
  };
}

const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HGETALL', KEYS[1])`;
