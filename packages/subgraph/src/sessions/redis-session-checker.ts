import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { defineScript } from '../redis/scripts';
import { failClosed } from '../redis/unavailable';
import { parseAuthorities } from '../users/user-hash';
import type { SessionCheck } from './session';
import type { SessionChecker } from './session-checker';
import { sessionLuaFile } from './session-lua';

type CheckReply = [string | null, number, string | null, string | null, string | null, string | null, string | null];

/** The record's fields before lastSeenAt (createdAt, expiresAt, absoluteExpiresAt), as session-record.lua orders them. */
const FIELDS_BEFORE_LAST_SEEN = 3;

/**
 * The session check as one read-only script on the user's slot: the session, the
 * account, and the revocation marks, read together. `lastSeenAt` is written by a
 * second script only when the touch interval has passed, at most once a minute per
 * session, so every other request is one round trip of reads.
 */
export function createRedisSessionChecker(redis: RedisClient, keys: RedisKeys): SessionChecker {
  const check = defineScript(redis, 'authCheckSession', 4, [sessionLuaFile('check-session')]);
  const touch = defineScript(redis, 'authTouchSession', 1, [sessionLuaFile('session-record'), sessionLuaFile('touch-session')]);
  return {
    async check(userId, sessionId, nowMs, touchIntervalMs): Promise<SessionCheck> {
      const sessionKey = keys.session(userId, sessionId);
      const checkKeys = [sessionKey, keys.user(userId), keys.revokedSession(userId, sessionId), keys.allSessionsRevokedAt(userId)];
      const reply = (await failClosed(() => check(checkKeys, []))) as CheckReply;
      const [record, revoked, allRevokedAt, authorities, disabled, username, createdAt] = reply;
      if (record !== null && nowMs - lastSeenAtOf(record) >= touchIntervalMs) {
        await failClosed(() => touch([sessionKey], [nowMs, touchIntervalMs]));
      }
      return {
        found: record !== null,
        revoked: revoked === 1,
        allRevokedAt: allRevokedAt === null ? undefined : Number(allRevokedAt),
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
