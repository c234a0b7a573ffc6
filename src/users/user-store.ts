import type { UserChanges, UserPage, UserRecord } from './user';

/** Accounts. Implementations: Redis (cluster or single node) and in-memory, same semantics. */
export interface UserStore {
  /** Claims the username first; throws UsernameTakenError when it is already claimed. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** `username` must already be normalised. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  update(id: string, changes: UserChanges): Promise<UserRecord | undefined>;
  /** Oldest first; `after` is the previous page's endCursor. */
  list(first: number, after?: string): Promise<UserPage>;
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`Username is taken: ${username}`);
    this.name = 'UsernameTakenError';
  }
}
