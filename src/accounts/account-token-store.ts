import type { AccountTokenPurpose } from './account-token';

/** What a token stands for: the user, the address, the password it was issued against. */
export type AccountTokenPayload = Readonly<Record<string, string>>;

/**
 * Single-use tokens for mailed links. Implementations: Redis and in-memory, same semantics,
 * proven by test/accounts/account-token-store.contract.ts.
 */
export interface AccountTokenStore {
  /** A new token for `payload`, valid for `ttlMs`. Only its hash is stored; the token goes into the mail. */
  issue(purpose: AccountTokenPurpose, payload: AccountTokenPayload, ttlMs: number): Promise<string>;
  /**
   * The payload, once: the token is gone as it is read, so two requests racing with one
   * token get it once between them. Undefined for a token unknown, used, expired, issued
   * for another purpose, or not of our shape.
   */
  consume(purpose: AccountTokenPurpose, token: string): Promise<AccountTokenPayload | undefined>;
  /** The payload without spending the token: to check what a request asks before it is committed. */
  peek(purpose: AccountTokenPurpose, token: string): Promise<AccountTokenPayload | undefined>;
}
