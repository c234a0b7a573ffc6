/**
 * What the account service needs from other domains, declared here so that users/
 * depends on no other domain: the wiring hands in the session store and the login
 * throttle, which fit these shapes.
 */

/** Ends sessions when an account's access changes (disabled, password changed, forced out). */
export interface SessionRevoker {
  /** Revokes every session of the user but `keepSessionId`; answers how many. */
  revokeAll(userId: string, keepSessionId?: string): Promise<number>;
}

/**
 * Runs a password check under brute-force protection, counting the errors
 * `isFailure` picks as wrong guesses of `username` from `clientAddress`.
 */
export interface PasswordGuessGuard {
  guard<T>(username: string, clientAddress: string | undefined, check: () => Promise<T>, isFailure?: (error: unknown) => boolean): Promise<T>;
}

/** The password hash of an account whose password is checked elsewhere (AUTH_PROVIDER=remote): no password matches it. */
export const NO_LOCAL_PASSWORD = '!external';
