import { createHash } from 'node:crypto';

/**
 * The one place that knows the key layout. Every key of one user carries the hash
 * tag `{u:<id>}`, so a Lua script can touch the user's session set, session records
 * and account record atomically on one cluster slot. The id in the tag is the
 * UUID's 16 bytes in base64url (22 characters, not 36), and a session record is
 * `:s:<id>`: with a session per key, key length is a large part of what a session costs.
 */
export interface RedisKeys {
  /** The user's hash tag, `{u:<compact id>}`. */
  userTag(userId: string): string;
  user(userId: string): string;
  sessionSet(userId: string): string;
  session(userId: string, sessionId: string): string;
  /** Prefix that a session id completes into its record's key (for scripts). */
  sessionPrefix(userId: string): string;
  /** Marks a recently revoked session, so rollout mode does not record it again. */
  revokedSession(userId: string, sessionId: string): string;
  revokedSessionPrefix(userId: string): string;
  /** When all of the user's sessions were last revoked, remembered as long as a token lives. */
  allSessionsRevokedAt(userId: string): string;
  /** Claimed with SET NX before the user record is written; holds the user id. */
  username(normalizedUsername: string): string;
  /** The local user id of a remote user, by a digest of its remote id; claimed with SET NX. */
  remoteIdentity(remoteId: string): string;
  /**
   * Claimed with SET NX right after the username; holds the id of the one user whose
   * name has this confusable skeleton (see confusable-skeleton.ts), so no second
   * account can look like it. Named by the skeleton's SHA-256 (base64url): a skeleton
   * may hold any character, braces (a hash tag) and newlines included.
   */
  usernameSkeleton(skeleton: string): string;
  /**
   * Claimed with SET NX before a user record carries the (normalised) address; holds
   * the user's id. Named by the address's SHA-256 (base64url): bounded in length, and
   * no brace of the address can become a hash tag.
   */
  email(normalizedEmail: string): string;
  /** Held while one change of the user's address runs, so two changes of one user take turns. */
  emailChangeLock(userId: string): string;
  /** The user's second factors, one hash: the authenticator app's sealed secret, recovery code hashes, passkeys. */
  secondFactors(userId: string): string;
  /**
   * A mailed link's single-use token, by purpose and the token's SHA-256 (base64url):
   * the token itself is never stored. Holds the link's payload as JSON, expiring with it.
   */
  accountToken(purpose: string, tokenHash: string): string;
  /** Sorted set of every user id, for listing. */
  userIndex(): string;
  /**
   * Failed logins counted against one subject. The tag is the hash tag: `u:<HMAC of the
   * username>` or `ip:<address or /64>`; a member names a client address under a
   * username's tag (that username tried from there), so every counter of one username
   * shares its slot and an unlock reaches them all in one script.
   */
  loginFailures(tag: string, member?: string): string;
  /** The subject's login attempts in flight; on the same slot as its failures. */
  loginAttempts(tag: string, member?: string): string;
  /** The members (addresses) with failures counted under a username's tag, for an unlock. */
  loginPairs(tag: string): string;
}

export function createRedisKeys(prefix: string): RedisKeys {
  const tag = (userId: string) => `${prefix}{u:${compactUserId(userId)}}`;
  return {
    userTag: (userId) => `{u:${compactUserId(userId)}}`,
    user: (userId) => `${tag(userId)}:user`,
    sessionSet: (userId) => `${tag(userId)}:sessions`,
    session: (userId, sessionId) => `${tag(userId)}:s:${sessionId}`,
    sessionPrefix: (userId) => `${tag(userId)}:s:`,
    revokedSession: (userId, sessionId) => `${tag(userId)}:revoked:${sessionId}`,
    revokedSessionPrefix: (userId) => `${tag(userId)}:revoked:`,
    allSessionsRevokedAt: (userId) => `${tag(userId)}:all-revoked-at`,
    username: (name) => `${prefix}username:${name}`,
    usernameSkeleton: (skeleton) => `${prefix}username-skeleton:${createHash('sha256').update(skeleton).digest('base64url')}`,
    email: (address) => `${prefix}email:${createHash('sha256').update(address).digest('base64url')}`,
    emailChangeLock: (userId) => `${tag(userId)}:email-change`,
    secondFactors: (userId) => `${tag(userId)}:mfa`,
    accountToken: (purpose, tokenHash) => `${prefix}account-token:${purpose}:${tokenHash}`,
    userIndex: () => `${prefix}users`,
    remoteIdentity: (remoteId) => `${prefix}remote-user:${createHash('sha256').update(remoteId).digest('base64url')}`,
    loginFailures: (tag, member) => `${prefix}login-failures:{${tag}}${member === undefined ? '' : `:${member}`}`,
    loginAttempts: (tag, member) => `${prefix}login-attempts:{${tag}}${member === undefined ? '' : `:${member}`}`,
    loginPairs: (tag) => `${prefix}login-pairs:{${tag}}`,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as 22 base64url characters; anything else (never made by this service) as it is. */
function compactUserId(userId: string): string {
  return UUID.test(userId) ? Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url') : userId;
}
