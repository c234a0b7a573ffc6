import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { defineScript } from '../redis/scripts';
import { failClosed } from '../redis/unavailable';
import { parseAuthorities } from '../users/user-hash';
import type { SessionCheck } from './session';
import type { SessionChecker } from './session-checker';
import { sessionLuaFile } from './session-lua';

type CheckReply = [number, number, string | null, string | null, string | null, string | null, string | null];

/**
 * The session check as one script on the user's slot: the session, the account,
 * and the revocation marks, read together; it writes only `lastSeenAt`, at most once
 * per touch interval. All a subgraph needs of the store.
 */
export function createRedisSessionChecker(redis: RedisClient, keys: RedisKeys): SessionChecker {
  const script = defineScript(redis, 'authCheckSession', 4, [sessionLuaFile('session-record'), sessionLuaFile('check-session')]);
  return {
    async check(userId, sessionId, nowMs, touchIntervalMs): Promise<SessionCheck> {
      const checkKeys = [
        keys.session(userId, sessionId),
        keys.user(userId),
        keys.revokedSession(userId, sessionId),
        keys.allSessionsRevokedAt(userId),
      ];
      const reply = (await failClosed(() => script(checkKeys, [nowMs, touchIntervalMs]))) as CheckReply;
      const [found, revoked, allRevokedAt, authorities, disabled, username, createdAt] = reply;
      return {
        found: found === 1,
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
