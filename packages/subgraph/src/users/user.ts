export interface UserRecord {
  readonly id: string;
  /** Normalised (see normalizeUsername); the only spelling stored. */
  readonly username: string;
  readonly passwordHash: string;
  readonly authorities: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: number;
  /** Normalised (see normalizeEmail); unique among users. Changed only through the store's changeEmail. */
  readonly email?: string;
  /** Whether the user proved they receive mail at `email`; absent means false. */
  readonly emailVerified?: boolean;
}

export type UserChanges = Partial<Pick<UserRecord, 'passwordHash' | 'authorities' | 'disabled' | 'emailVerified'>>;

export interface UserPage {
  readonly nodes: readonly UserRecord[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

/**
 * The account behind a token as the session check reads it, in the same round
 * trip: enough to apply live authorities and disabling, and to answer `me`
 * without reading the user again.
 */
export interface AccountStatus {
  readonly username: string;
  readonly authorities: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: number;
}

/** A user as clients may see it: everything but the password hash. */
export type PublicUser = Omit<UserRecord, 'passwordHash'>;
