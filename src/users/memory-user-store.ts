import { usernameSkeleton } from './confusable-skeleton';
import { decodeCursor, encodeCursor } from './cursor';
import type { UserChanges, UserPage, UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { EmailTakenError, type SkeletonBackfill, UsernameTakenError, UsernameTooSimilarError, type UserStore } from './user-store';

/** The embedded store: everything in this process, lost on restart. */
export function createMemoryUserStore(): UserStore {
  const byId = new Map<string, UserRecord>();
  const idByUsername = new Map<string, string>();
  const idBySkeleton = new Map<string, string>();
  const idByEmail = new Map<string, string>();

  return {
    async create(user) {
      const holder = idByUsername.get(user.username);
      if (holder === user.id) return;
      if (holder !== undefined) throw new UsernameTakenError(user.username);
      const skeleton = usernameSkeleton(user.username);
      const lookAlike = idBySkeleton.get(skeleton);
      if (lookAlike !== undefined && lookAlike !== user.id) throw new UsernameTooSimilarError(user.username);
      const emailHolder = user.email === undefined ? undefined : idByEmail.get(user.email);
      if (user.email !== undefined && emailHolder !== undefined && emailHolder !== user.id) throw new EmailTakenError(user.email);
      idByUsername.set(user.username, user.id);
      idBySkeleton.set(skeleton, user.id);
      if (user.email !== undefined) idByEmail.set(user.email, user.id);
      byId.set(user.id, copy(user));
    },
    async findById(id) {
      const user = byId.get(id);
      return user && copy(user);
    },
    async findByUsername(username) {
      const id = idByUsername.get(username);
      const user = id === undefined ? undefined : byId.get(id);
      return user && copy(user);
    },
    async findByEmail(email) {
      const id = idByEmail.get(email);
      const user = id === undefined ? undefined : byId.get(id);
      return user?.email === email ? copy(user) : undefined;
    },
    async update(id, changes: UserChanges) {
      const user = byId.get(id);
      if (!user) return undefined;
      const updated = copy({ ...user, ...changes });
      byId.set(id, updated);
      return copy(updated);
    },
    async markEmailVerified(id, email) {
      const user = byId.get(id);
      if (user?.email !== email) return false;
      byId.set(id, copy({ ...user, emailVerified: true }));
      return true;
    },
    async changeEmail(id, email, verified) {
      const holder = idByEmail.get(email);
      if (holder !== undefined && holder !== id) throw new EmailTakenError(email);
      const user = byId.get(id);
      if (!user) return undefined;
      idByEmail.set(email, id);
      if (user.email !== undefined && user.email !== email && idByEmail.get(user.email) === id) idByEmail.delete(user.email);
      const updated = copy({ ...user, email, emailVerified: verified });
      byId.set(id, updated);
      return copy(updated);
    },
    async list(first, after): Promise<UserPage> {
      const ids = [...byId.keys()].sort();
      const afterId = after === undefined ? undefined : decodeCursor(after);
      const start = afterId === undefined ? 0 : ids.findIndex((id) => id > afterId);
      const pageIds = start < 0 ? [] : ids.slice(start, start + first);
      const nodes = pageIds.map((id) => copy(byId.get(id) as UserRecord));
      const last = pageIds.at(-1);
      return {
        nodes,
        totalCount: ids.length,
        endCursor: last === undefined ? null : encodeCursor(last),
        hasNextPage: start >= 0 && start + first < ids.length,
      };
    },
    // Every user of this store was created with its skeleton; this only reports.
    async backfillUsernameSkeletons(): Promise<SkeletonBackfill> {
      const ids = [...byId.keys()].sort();
      let claimed = 0;
      const lookAlikes: string[] = [];
      for (const id of ids) {
        const skeleton = usernameSkeleton((byId.get(id) as UserRecord).username);
        const holder = idBySkeleton.get(skeleton);
        if (holder === undefined) {
          idBySkeleton.set(skeleton, id);
          claimed += 1;
        } else if (holder !== id) {
          lookAlikes.push(id);
        }
      }
      return { users: ids.length, claimed, lookAlikes };
    },
  };
}

function copy(user: UserRecord): UserRecord {
  return { ...user, authorities: [...user.authorities] };
}
