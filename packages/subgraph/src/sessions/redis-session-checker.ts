import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { defineScript } from '../redis/scripts';
import { failClosed } from '../redis/unavailable';
import { parseAuthorities } from '../users/user-hash';
import type { SessionCheck } from './session';
import type { SessionChecker } from './session-checker';
import { sessionLuaFile } from './session-lua';

type CheckReply = [string | null, string | null, string | null, string | null, string | null, number?, (string | null)?];

/** The record's fields before lastSeenAt (createdAt, expiresAt, absoluteExpiresAt), as session-record.lua orders them. */
const FIELDS_BEFORE_LAST_SEEN = 3;
/** Sessions whose key names are kept, so a client's next request does not build them again. */
const MAX_REMEMBERED_SESSIONS = 10_000;

export interface RedisSessionCheckerOptions {
  /**
   * Read the revocation marks of a missing session (rollout mode needs them, to refuse
   * a revoked session instead of recording it again). Off, a missing session reads as
   * not revoked, and the script names two keys instead of four. Default: on.
   */
  readonly revocationMarks?: boolean;
}

/**
 * The session check as one read-only script on the user's slot: the session, the
 * account, and the revocation marks when asked for, read together. `lastSeenAt` is
 * written by a second script only when the touch interval has passed, at most once a
 * minute per session, so every other request is one round trip of reads.
 */
export function createRedisSessionChecker(redis: RedisClient, keys: RedisKeys, options: RedisSessionCheckerOptions = {}): SessionChecker {
  const revocationMarks = options.revocationMarks ?? true;
  // Two names: a client may hold both kinds of checker, and a name fixes its number of keys.
  const check = revocationMarks
    ? defineScript(redis, 'authCheckSessionWithMarks', 4, [sessionLuaFile('check-session')])
    : defineScript(redis, 'authCheckSession', 2, [sessionLuaFile('check-session')]);
  const touch = defineScript(redis, 'authTouchSession', 1, [sessionLuaFile('session-record'), sessionLuaFile('touch-session')]);
  const remembered = new Map<string, { readonly userId: string; readonly keys: readonly string[] }>();
  const checkKeysOf = (userId: string, sessionId: string): readonly string[] => {
    const known = remembered.get(sessionId);
    if (known?.userId === userId) return known.keys;
    const sessionKeys = [keys.session(userId, sessionId), keys.user(userId)];
    if (revocationMarks) sessionKeys.push(keys.revokedSession(userId, sessionId), keys.allSessionsRevokedAt(userId));
    if (remembered.size >= MAX_REMEMBERED_SESSIONS) remembered.delete(remembered.keys().next().value as string);
    remembered.set(sessionId, { userId, keys: sessionKeys });
    return sessionKeys;
  };
  return {
    async check(userId, sessionId, nowMs, touchIntervalMs): Promise<SessionCheck> {
      const checkKeys = checkKeysOf(userId, sessionId);
      const reply = (await failClosed(() => check(checkKeys, []))) as CheckReply;
      const [record, authorities, disabled, username, createdAt, revoked, allRevokedAt] = reply;
      if (record !== null && nowMs - lastSeenAtOf(record) >= touchIntervalMs) {
        await failClosed(() => touch([checkKeys[0]], [nowMs, touchIntervalMs]));
      }
      return {
        found: record !== null,
        revoked: revoked === 1,
        allRevokedAt: allRevokedAt === null || allRevokedAt === undefined ? undefined : Number(allRevokedAt),
        account:
          authorities === null || username === null
            ? undefined
            : { username, authorities: parseAuthorities(authorities), disabled: disabled === '1', createdAt: Number(createdAt) },
      };
    },
  };
}

/** lastSeenAt of a stored record (epoch ms in base 36); a record it cannot read counts as due. */
function lastSeenAtOf(record: string): number {
  let start = 0;
  for (let field = 0; field < FIELDS_BEFORE_LAST_SEEN; field++) start = record.indexOf('|', start) + 1;
  const end = record.indexOf('|', start);
  const lastSeenAt = parseInt(record.slice(start, end === -1 ? undefined : end), 36);
  return Number.isNaN(lastSeenAt) ? 0 : lastSeenAt;
}
