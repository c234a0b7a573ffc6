import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { failClosed } from '../redis/unavailable';
import { decodeCursor, encodeCursor } from './cursor';
import type { UserChanges, UserPage, UserRecord } from './user';
import { UsernameTakenError, type UserStore } from './user-store';

export interface RedisUserStoreDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

/**
 * Accounts in Redis: one hash per user under the user's hash tag, a username key
 * claimed with SET NX before the hash is written (so two instances racing for
 * one name cannot both win), and a sorted set of ids for listing.
 */
export function createRedisUserStore({ redis, keys }: RedisUserStoreDeps): UserStore {
  async function findById(id: string): Promise<UserRecord | undefined> {
    const hash = await failClosed(() => redis.hgetall(keys.user(id)));
    return fromHash(hash);
  }

  async function claimUsername(user: UserRecord): Promise<void> {
    const usernameKey = keys.username(user.username);
    const claimed = await failClosed(() => redis.set(usernameKey, user.id, 'NX'));
    if (claimed === 'OK') return;
    // A claim whose user record was never written (a crash between the two writes) is stale.
    const holder = await failClosed(() => redis.get(usernameKey));
    if (holder !== null && (await findById(holder)) === undefined) {
      const replaced = await failClosed(() =>
        redis.eval(COMPARE_AND_SET, 1, usernameKey, holder, user.id) as Promise<number>,
      );
      if (replaced === 1) return;
    }
    throw new UsernameTakenError(user.username);
  }

  return {
    async create(user) {
      await claimUsername(user);
      await failClosed(() => redis.hset(keys.user(user.id), toHash(user)));
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
      // HSET only if the record exists: an update must never create a half user.
      const updated = await failClosed(() =>
        redis.eval(UPDATE_IF_EXISTS, 1, key, ...Object.entries(fields).flat()) as Promise<number>,
      );
      return updated === 1 ? findById(id) : undefined;
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

const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
return 0`;

const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

function toHash(user: Partial<UserRecord>): Record<string, string> {
  const hash: Record<string, string> = {};
  if (user.id !== undefined) hash.id = user.id;
  if (user.username !== undefined) hash.username = user.username;
  if (user.passwordHash !== undefined) hash.passwordHash = user.passwordHash;
  if (user.authorities !== undefined) hash.authorities = JSON.stringify(user.authorities);
  if (user.disabled !== undefined) hash.disabled = user.disabled ? '1' : '0';
  if (user.createdAt !== undefined) hash.createdAt = String(user.createdAt);
  return hash;
}

function fromHash(hash: Record<string, string>): UserRecord | undefined {
  if (hash.id === undefined) return undefined;
  return {
    id: hash.id,
    username: hash.username,
    passwordHash: hash.passwordHash,
    authorities: parseAuthorities(hash.authorities),
    disabled: hash.disabled === '1',
    createdAt: Number(hash.createdAt),
  };
}

export function parseAuthorities(json: string | undefined): string[] {
  const parsed: unknown = json === undefined ? [] : JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}
