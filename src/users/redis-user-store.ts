import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { flatHashToRecord } from '../redis/flat-hash';
import { confirmReplicated, type Durability } from '../redis/replication';
import { claimKey } from '../redis/claim-key';
import { failClosed, STORE_OPERATION_DEADLINE_MS } from '@graphql-auth-service/subgraph/redis/unavailable';
import { usernameSkeleton } from './confusable-skeleton';
import { decodeCursor, encodeCursor } from './cursor';
import type { UserChanges, UserPage, UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { fromHash, toHash } from '@graphql-auth-service/subgraph/users/user-hash';
import {
  EmailTakenError,
  SKELETON_BACKFILL_PAGE_SIZE,
  type SkeletonBackfill,
  UsernameTakenError,
  UsernameTooSimilarError,
  type UserStore,
} from './user-store';

export interface RedisUserStoreDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /** Replicas that must hold a change (disabling, a new password, fewer authorities) before it is acknowledged. */
  readonly durability: Durability;
}

/**
 * Accounts in Redis: one hash per user under the user's hash tag, a username key
 * claimed with SET NX (so two instances racing for one name cannot both win), a
 * skeleton key claimed the same way (so two racing look-alikes cannot both win), an
 * email key claimed the same way (so two racing accounts cannot both get an address),
 * and a sorted set of ids for listing.
 */
export function createRedisUserStore({ redis, keys, durability }: RedisUserStoreDeps): UserStore {
  async function findById(id: string): Promise<UserRecord | undefined> {
    const hash = await failClosed(() => redis.hgetall(keys.user(id)));
    return fromHash(hash);
  }

  /** SET NX of the skeleton key: whether this user now holds it, or another user does. */
  async function claimSkeleton(userId: string, username: string): Promise<'claimed' | 'held' | 'taken'> {
    const claim = await claimKey(redis, keys.usernameSkeleton(usernameSkeleton(username)), userId);
    if (claim.claimed) return 'claimed';
    // A create cut off after its claim, or a backfill, may have claimed it for this very user.
    return claim.holder === userId ? 'held' : 'taken';
  }

  /** Deletes a claim only while it names this user: never another user's claim of the same key. */
  async function release(key: string, userId: string): Promise<void> {
    await failClosed(() => redis.eval(RELEASE_IF_HOLDER, 1, key, userId));
  }

  // Longer than one change can take (three store operations, one of them waiting on replicas).
  const emailChangeLockMs = 4 * STORE_OPERATION_DEADLINE_MS + durability.timeoutMs;

  /**
   * Runs `change` while holding the user's email-change lock, waiting for it as long as
   * a holder may keep it (a holder that died lets it expire by then). The lock is on the
   * user's slot; its value is this holder's, so a late release never frees another's.
   */
  async function oneEmailChangeAtATime<T>(userId: string, change: () => Promise<T>): Promise<T> {
    const lock = keys.emailChangeLock(userId);
    const holder = randomUUID();
    const giveUpAt = Date.now() + emailChangeLockMs;
    while ((await failClosed(() => redis.set(lock, holder, 'PX', emailChangeLockMs, 'NX'))) === null) {
      if (Date.now() >= giveUpAt) {
        throw new ServiceUnavailableError('Another change of this account is in progress; try again shortly', {
          logReason: 'email change lock held',
        });
      }
      await delay(EMAIL_CHANGE_RETRY_MS + Math.random() * EMAIL_CHANGE_RETRY_MS);
    }
    try {
      return await change();
    } finally {
      // When Redis cannot be reached now, the lock expires by itself; the change's own error is the one to report.
      await release(lock, holder).catch(() => undefined);
    }
  }

  return {
    async create(user) {
      // Record first, then the name: a claimed name always leads to a record, and a crash
      // in between leaves only an unreachable record, never a name that no one can use.
      await failClosed(() => redis.hset(keys.user(user.id), toHash(user)));
      const name = await claimKey(redis, keys.username(user.username), user.id);
      if (!name.claimed) {
        // The same account racing itself (two first logins of one remote user) is no conflict.
        if (name.holder === user.id) return;
        await failClosed(() => redis.del(keys.user(user.id)));
        throw new UsernameTakenError(user.username);
      }
      if ((await claimSkeleton(user.id, user.username)) === 'taken') {
        // Undone in the reverse order: the name (claimed just now, so ours) before the record.
        await failClosed(() => redis.del(keys.username(user.username)));
        await failClosed(() => redis.del(keys.user(user.id)));
        throw new UsernameTooSimilarError(user.username);
      }
      if (user.email !== undefined) {
        const address = await claimKey(redis, keys.email(user.email), user.id);
        if (!address.claimed && address.holder !== user.id) {
          // Undone in the reverse order: the skeleton and the name (this user's, as above) before the record.
          await failClosed(() => redis.del(keys.usernameSkeleton(usernameSkeleton(user.username))));
          await failClosed(() => redis.del(keys.username(user.username)));
          await failClosed(() => redis.del(keys.user(user.id)));
          throw new EmailTakenError(user.email);
        }
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
    async findByEmail(email) {
      const id = await failClosed(() => redis.get(keys.email(email)));
      if (id === null) return undefined;
      const user = await findById(id);
      return user?.email === email ? user : undefined;
    },
    async markEmailVerified(id, email) {
      const marked = await failClosed(() => redis.eval(MARK_EMAIL_VERIFIED, 1, keys.user(id), email));
      return marked === 1;
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
    /*
     * Claim the new address, then write it on the record, then release the old one.
     * Why that order is safe under concurrency:
     * - SET NX gives an address to one user however many race for it (as for
     *   usernames), and a record carries an address only after its user's claim
     *   succeeded: no two accounts ever carry one address.
     * - The old address is released after the record stopped carrying it, and only
     *   while its claim names this user, so another user's claim is never removed.
     * - A change cut off midway leaves at most a claim the record does not carry:
     *   findByEmail finds nobody by it, it keeps the address from other users, and
     *   this user can take it again.
     * - Two changes of one user take turns (the lock). Overlapping, one could release
     *   the address the other has just accepted as already this user's, leaving the
     *   record with an address nobody holds.
     */
    async changeEmail(id, email, verified) {
      return oneEmailChangeAtATime(id, async () => {
        const claim = await claimKey(redis, keys.email(email), id);
        if (!claim.claimed && claim.holder !== id) throw new EmailTakenError(email);
        const key = keys.user(id);
        const reply = (await failClosed(async () => {
          const changed = await redis.eval(CHANGE_EMAIL_IF_EXISTS, 1, key, email, verified ? '1' : '0');
          await confirmReplicated(redis, key, durability);
          return changed;
        }, STORE_OPERATION_DEADLINE_MS + durability.timeoutMs)) as [string, string[]] | null;
        if (reply === null) {
          if (claim.claimed) await release(keys.email(email), id);
          return undefined;
        }
        const [previous, flat] = reply;
        if (previous !== '' && previous !== email) await release(keys.email(previous), id);
        return fromHash(flatHashToRecord(flat));
      });
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
    async backfillUsernameSkeletons(pageSize = SKELETON_BACKFILL_PAGE_SIZE): Promise<SkeletonBackfill> {
      let users = 0;
      let claimed = 0;
      const lookAlikes: string[] = [];
      const page = Math.max(1, Math.floor(pageSize));
      let min = '-';
      for (;;) {
        const ids = await failClosed(() => redis.zrangebylex(keys.userIndex(), min, '+', 'LIMIT', 0, page));
        const names = await failClosed(() => Promise.all(ids.map((id) => redis.hget(keys.user(id), 'username'))));
        // Sent together, in age order: two look-alikes of one page reach the skeleton's
        // node in that order on this connection, so the older one wins there too.
        const outcomes = await Promise.all(ids.map((id, i) => (names[i] === null ? undefined : claimSkeleton(id, names[i]))));
        outcomes.forEach((outcome, i) => {
          if (outcome !== undefined) users += 1;
          if (outcome === 'claimed') claimed += 1;
          if (outcome === 'taken') lookAlikes.push(ids[i]);
        });
        if (ids.length < page) return { users, claimed, lookAlikes };
        min = `(${ids[ids.length - 1]}`;
      }
    },
  };
}

const EMAIL_CHANGE_RETRY_MS = 10;

const RELEASE_IF_HOLDER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Like UPDATE_IF_EXISTS for the address, answering with the address it replaced ('' for none) too. */
const CHANGE_EMAIL_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local previous = redis.call('HGET', KEYS[1], 'email')
redis.call('HSET', KEYS[1], 'email', ARGV[1], 'emailVerified', ARGV[2])
return {previous or '', redis.call('HGETALL', KEYS[1])}`;

const MARK_EMAIL_VERIFIED = `
if redis.call('HGET', KEYS[1], 'email') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'emailVerified', '1')
return 1`;

const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HGETALL', KEYS[1])`;
