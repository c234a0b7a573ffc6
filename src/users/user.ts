export interface UserRecord {
  readonly id: string;
  /** Normalised (see normalizeUsername); the only spelling stored. */
  readonly username: string;
  readonly passwordHash: string;
  readonly authorities: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: number;
}

export type UserChanges = Partial<Pick<UserRecord, 'passwordHash' | 'authorities' | 'disabled'>>;

export interface UserPage {
  readonly nodes: readonly UserRecord[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

/** What a session check needs to know of the account behind a token. */
export interface AccountStatus {
  readonly authorities: readonly string[];
  readonly disabled: boolean;
}
