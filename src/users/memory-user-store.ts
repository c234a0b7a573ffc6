import { decodeCursor, encodeCursor } from './cursor';
import type { UserChanges, UserPage, UserRecord } from './user';
import { UsernameTakenError, type UserStore } from './user-store';

/** The embedded store: everything in this process, lost on restart. */
export function createMemoryUserStore(): UserStore {
  const byId = new Map<string, UserRecord>();
  const idByUsername = new Map<string, string>();

  return {
    async create(user) {
      const holder = idByUsername.get(user.username);
      if (holder === user.id) return;
      if (holder !== undefined) throw new UsernameTakenError(user.username);
      idByUsername.set(user.username, user.id);
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
    async update(id, changes: UserChanges) {
      const user = byId.get(id);
      if (!user) return undefined;
      const updated = copy({ ...user, ...changes });
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
  };
}

function copy(user: UserRecord): UserRecord {
  return { ...user, authorities: [...user.authorities] };
}
