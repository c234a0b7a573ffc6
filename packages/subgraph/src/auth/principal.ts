import type { AccountStatus } from '../users/user';

/** Who is calling: known only after both the token and its session were checked. */
export interface Principal {
  readonly userId: string;
  readonly sessionId: string;
  readonly authorities: readonly string[];
  /** How the session signed in (the token's `amr`, RFC 8176); empty for tokens that do not say. */
  readonly amr: readonly string[];
  /** When the session signed in (epoch ms), from the token's `auth_time`; undefined for tokens that do not say. */
  readonly authenticatedAt?: number;
  /** The account as the session check read it in the same round trip; absent without a session check or a local account. */
  readonly account?: AccountStatus;
}
