/**
 * Escalating lockout after failed logins (after Keycloak's brute-force detection):
 * the n-th consecutive failure with n >= failureFactor locks for
 * waitIncrement × 2^(n - failureFactor), at most maxWait.
 */
export interface LockoutPolicy {
  readonly failureFactor: number;
  readonly waitIncrementMs: number;
  readonly maxWaitMs: number;
  /** Failures are forgotten after this long without a new one. */
  readonly failureResetMs: number;
}

/**
 * Spacing of one username's attempts from every address together; never a lock. Once
 * failures plus attempts in flight reach failureFactor, each attempt takes the next
 * free slot and moves it on by increment × 2^(failures - failureFactor), at most maxDelay.
 */
export interface SlowdownPolicy {
  readonly failureFactor: number;
  readonly incrementMs: number;
  readonly maxDelayMs: number;
  /** Failures are forgotten after this long without a new one. */
  readonly failureResetMs: number;
}

export interface BruteForceConfig {
  readonly enabled: boolean;
  /**
   * Failures of one username (existing or not) from one client address: locks the
   * guesser's address for that name, never the owner somewhere else.
   */
  readonly pair: LockoutPolicy;
  /** Failures from one client address (an IPv6 client by its /64), whatever the username. */
  readonly clientAddress: LockoutPolicy;
  /** Failures of one username from all addresses: spaces its attempts out, never locks it. */
  readonly usernameSlowdown: SlowdownPolicy;
}
