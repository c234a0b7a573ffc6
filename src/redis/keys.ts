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
  /** Sorted set of every user id, for listing. */
  userIndex(): string;
  /** Consecutive failed logins of one subject (a hashed username or a client address). */
  loginFailures(subject: string): string;
  /** The subject's login attempts in flight; on the same slot as its failures. */
  loginAttempts(subject: string): string;
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
    userIndex: () => `${prefix}users`,
    loginFailures: (subject) => `${prefix}login-failures:{${subject}}`,
    loginAttempts: (subject) => `${prefix}login-attempts:{${subject}}`,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as 22 base64url characters; anything else (never made by this service) as it is. */
function compactUserId(userId: string): string {
  return UUID.test(userId) ? Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url') : userId;
}
