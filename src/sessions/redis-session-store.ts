import { join } from 'node:path';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { defineScript } from '@graphql-auth-service/subgraph/redis/scripts';
import { confirmReplicated, type Durability } from '../redis/replication';
import { failClosed, STORE_OPERATION_DEADLINE_MS } from '@graphql-auth-service/subgraph/redis/unavailable';
import type { NewSession, RefreshOutcome, SessionCreation, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import { createRedisSessionChecker } from '@graphql-auth-service/subgraph/sessions/redis-session-checker';
import { sessionLuaFile } from '@graphql-auth-service/subgraph/sessions/session-lua';
import { decodeSessionRecord, encodeSessionRecord } from './session-record-codec';
import type { SessionStore } from './session-store';

export interface RedisSessionStoreDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly clock: Clock;
  /** How long a revocation is remembered for rollout mode: the access token lifetime. */
  readonly revocationMemoryMs: number;
  /** Replicas that must hold a revocation, eviction or rotation before it is acknowledged. */
  readonly durability: Durability;
  /** Whether the check reads a missing session's revocation marks: rollout mode needs them. Default: yes. */
  readonly revocationMarksOnCheck?: boolean;
}

const lua = (name: string) => join(__dirname, 'lua', `${name}.lua`);
const withSettle = (name: string) => [sessionLuaFile('session-record'), lua('settle'), lua(name)];

/** Sessions in Redis: every change is one Lua script on the user's slot, so it is atomic on a cluster. */
export function createRedisSessionStore(deps: RedisSessionStoreDeps): SessionStore {
  const { redis, keys, clock, revocationMemoryMs, durability } = deps;
  const checker = createRedisSessionChecker(redis, keys, { revocationMarks: deps.revocationMarksOnCheck ?? true });
  const scripts = {
    create: defineScript(redis, 'authCreateSession', 2, withSettle('create-session')),
    list: defineScript(redis, 'authListSessions', 1, [lua('list-sessions')]),
    revoke: defineScript(redis, 'authRevokeSession', 2, withSettle('revoke-session')),
    revokeAll: defineScript(redis, 'authRevokeAllSessions', 2, withSettle('revoke-all-sessions')),
    rotateRefresh: defineScript(redis, 'authRotateRefresh', 2, withSettle('rotate-refresh')),
  };

  /** A write that undoes access (or may evict) is answered only once replicas hold it. */
  function durably<T>(userId: string, write: () => Promise<T>): Promise<T> {
    return failClosed(async () => {
      const result = await write();
      await confirmReplicated(redis, keys.sessionSet(userId), durability);
      return result;
    }, STORE_OPERATION_DEADLINE_MS + durability.timeoutMs);
  }

  async function insert(session: SessionRecord | NewSession, max: number, policy: string): Promise<unknown[]> {
    const keysOf = [keys.sessionSet(session.userId), keys.session(session.userId, session.id)];
    const args = [
      keys.sessionPrefix(session.userId),
      session.id,
      session.createdAt,
      session.expiresAt,
      max,
      policy,
      keys.revokedSessionPrefix(session.userId),
      revocationMemoryMs,
      encodeSessionRecord(session),
    ];
    // Rollout mode's record evicts nothing: no need to wait for replicas.
    const write = () => scripts.create(keysOf, args);
    return (await (policy === 'record' ? failClosed(write) : durably(session.userId, write))) as unknown[];
  }

  return {
    async create(session, limit): Promise<SessionCreation> {
      const [status, ...evicted] = await insert(session, limit.max, limit.policy);
      if (status === -1) return { status: 'limit-reached' };
      if (status === 0) throw new Error('Session id collision');
      return { status: 'created', evictedSessionIds: evicted as string[] };
    },
    async record(session) {
      const [status] = await insert(session, 0, 'record');
      return status === 1;
    },
    check: checker.check,
    async rotateRefresh(userId, sessionId, rotation): Promise<RefreshOutcome> {
      const reply = (await durably(userId, () =>
        scripts.rotateRefresh(
          [keys.sessionSet(userId), keys.session(userId, sessionId)],
          [
            keys.sessionPrefix(userId),
            sessionId,
            rotation.presentedHash,
            rotation.nextHash,
            rotation.nowMs,
            rotation.idleTtlMs,
            keys.revokedSessionPrefix(userId),
            revocationMemoryMs,
          ],
        ),
      )) as [number, string?];
      const [status, record] = reply;
      if (status === -1) return { status: 'reused' };
      if (status !== 1 || record === undefined) return { status: 'unknown' };
      return { status: 'rotated', session: decodeSessionRecord(userId, sessionId, record) };
    },
    async list(userId) {
      const reply = (await failClosed(() =>
        scripts.list([keys.sessionSet(userId)], [keys.sessionPrefix(userId)]),
      )) as string[];
      const sessions: SessionRecord[] = [];
      for (let i = 0; i < reply.length; i += 2) sessions.push(decodeSessionRecord(userId, reply[i], reply[i + 1]));
      return sessions;
    },
    async revoke(userId, sessionId) {
      const removed = await durably(userId, () =>
        scripts.revoke(
          [keys.sessionSet(userId), keys.session(userId, sessionId)],
          [keys.sessionPrefix(userId), sessionId, keys.revokedSessionPrefix(userId), revocationMemoryMs],
        ),
      );
      return removed === 1;
    },
    async revokeAll(userId, keepSessionId) {
      const revoked = await durably(userId, () =>
        scripts.revokeAll(
          [keys.sessionSet(userId), keys.allSessionsRevokedAt(userId)],
          [keys.sessionPrefix(userId), keepSessionId ?? '', keys.revokedSessionPrefix(userId), revocationMemoryMs, clock.now()],
        ),
      );
      return Number(revoked);
    },
  };
}
