import type { UserChanges, UserPage, UserRecord } from '@graphql-auth-service/subgraph/users/user';

/** Accounts. Implementations: Redis (cluster or single node) and in-memory, same semantics. */
export interface UserStore {
  /**
   * Claims the username, then its confusable skeleton (see confusable-skeleton.ts),
   * then the email address when the user has one (normalised: see normalizeEmail).
   * Throws UsernameTakenError when the name is claimed, UsernameTooSimilarError (a
   * kind of it) when another user's name has the same skeleton, EmailTakenError when
   * another user holds the address; then nothing of the new user is left behind.
   * Creating a user that already holds all of them is no error.
   */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** `username` must already be normalised. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  /**
   * The user holding the address (already normalised), or undefined. A claim whose
   * user's record does not carry the address (left by a change cut off midway) finds
   * nobody; it still keeps the address from other users.
   */
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /** Never changes `email`: that is changeEmail's, which keeps the address index in step. */
  update(id: string, changes: UserChanges): Promise<UserRecord | undefined>;
  /**
   * Gives the user the address (already normalised) with this verification state, and
   * releases the address it had. Throws EmailTakenError when another user holds the
   * address; the user's own address is no conflict (that only sets `emailVerified`).
   * Undefined for an unknown user, for whom nothing is claimed.
   */
  changeEmail(id: string, email: string, verified: boolean): Promise<UserRecord | undefined>;
  /**
   * Marks the address verified if the user still has exactly this one, in one step: a
   * link mailed to an old address must not verify the address that replaced it. False
   * when the user is unknown or has another address.
   */
  markEmailVerified(id: string, email: string): Promise<boolean>;
  /** Oldest first; `after` is the previous page's endCursor. */
  list(first: number, after?: string): Promise<UserPage>;
  /**
   * Claims the skeleton of every user that has none yet: users created before
   * skeletons were indexed. Pages through all users oldest first, so where two
   * existing names look alike the older account keeps the skeleton. Idempotent,
   * and safe while other instances run it or create users.
   */
  backfillUsernameSkeletons(pageSize?: number): Promise<SkeletonBackfill>;
}

export interface SkeletonBackfill {
  /** Users looked at. */
  readonly users: number;
  /** Skeletons this run claimed (0 once every user has one). */
  readonly claimed: number;
  /** Ids of users whose skeleton an older account holds: look-alikes from before the index, oldest first. */
  readonly lookAlikes: readonly string[];
}

export const SKELETON_BACKFILL_PAGE_SIZE = 200;

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`Username is taken: ${username}`);
    this.name = 'UsernameTakenError';
  }
}

/**
 * Another user's name looks the same (same confusable skeleton). A kind of
 * UsernameTakenError: wherever a taken name is refused, a look-alike is too.
 */
export class UsernameTooSimilarError extends UsernameTakenError {
  constructor(username: string) {
    super(username);
    this.message = `Username is too similar to an existing one: ${username}`;
    this.name = 'UsernameTooSimilarError';
  }
}

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`Email address is taken: ${email}`);
    this.name = 'EmailTakenError';
  }
}
