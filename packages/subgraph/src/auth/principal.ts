import type { AccountStatus } from '../users/user';

/** Who is calling: known only after both the token and its session were checked. */
export interface Principal {
  readonly userId: string;
  readonly sessionId: string;
  readonly authorities: readonly string[];
  /** The account as the session check read it in the same round trip; absent without a session check or a local account. */
  readonly account?: AccountStatus;
}
