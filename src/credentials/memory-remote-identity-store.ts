import type { RemoteIdentityStore } from './remote-identity-store';

export function createMemoryRemoteIdentityStore(): RemoteIdentityStore {
  const ids = new Map<string, string>();
  return {
    async find(remoteId) {
      return ids.get(remoteId);
    },
    async claim(remoteId, userId) {
      const holder = ids.get(remoteId);
      if (holder !== undefined) return holder;
      ids.set(remoteId, userId);
      return userId;
    },
  };
}
