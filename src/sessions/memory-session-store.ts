import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { AccountStatus } from '@graphql-auth-service/subgraph/users/user';
import type { NewSession, RefreshOutcome, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from './session-store';

export interface MemorySessionStoreDeps {
  readonly clock: Clock;
  /** How long a revocation is remembered for rollout mode: the access token lifetime. */
  readonly revocationMemoryMs: number;
  readonly lookupAccount: (userId: string) => Promise<AccountStatus | undefined>;
}

interface StoredSession {
  record: SessionRecord;
  /** Position, as the Redis sorted-set score: see create and record. */
  readonly score: number;
  refreshTokenHash: string | undefined;
  /** The last few refresh token hashes already rotated away, to catch a replayed copy. */
  usedRefreshTokenHashes: string[];
}

const USED_REFRESH_HASHES_KEPT = 16;

/** The embedded store, with the Redis store's semantics (the contract tests hold both to them). */
export function createMemorySessionStore({ clock, lookupAccount, revocationMemoryMs }: MemorySessionStoreDeps): SessionStore {
  const byUser = new Map<string, Map<string, StoredSession>>();
  /** Revocations remembered for rollout mode, as Redis keys with a TTL would be. */
  const revocations = new Map<string, { readonly at: number; readonly until: number }>();
  const sessionMark = (userId: string, sessionId: string) => `session/${userId}/${sessionId}`;
  const allMark = (userId: string) => `all/${userId}`;

  function remember(mark: string): void {
    const now = clock.now();
    revocations.set(mark, { at: now, until: now + revocationMemoryMs });
  }

  function recall(mark: string): number | undefined {
    const revocation = revocations.get(mark);
    if (revocation && revocation.until <= clock.now()) revocations.delete(mark);
    return revocation && revocation.until > clock.now() ? revocation.at : undefined;
  }

  function remove(userId: string, sessionId: string): boolean {
    const removed = byUser.get(userId)?.delete(sessionId) ?? false;
    if (removed) remember(sessionMark(userId, sessionId));
    return removed;
  }

  /** Live sessions of a user, oldest first, dropping expired ones as Redis would. */
  function live(userId: string): StoredSession[] {
    const sessions = byUser.get(userId);
    if (!sessions) return [];
    const now = clock.now();
    for (const [id, stored] of sessions) {
      if (stored.record.expiresAt <= now) sessions.delete(id);
    }
    if (sessions.size === 0) byUser.delete(userId);
    return [...sessions.values()].sort(
      (a, b) => a.score - b.score || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0),
    );
  }

  function sessionsOf(userId: string): Map<string, StoredSession> {
    let sessions = byUser.get(userId);
    if (!sessions) byUser.set(userId, (sessions = new Map()));
    return sessions;
  }

  function add(session: SessionRecord | NewSession, score: number): void {
    const { refreshTokenHash, ...record } = { refreshTokenHash: undefined, ...session };
    sessionsOf(session.userId).set(session.id, { record, score, refreshTokenHash, usedRefreshTokenHashes: [] });
  }

  return {
    async create(session, limit) {
      const current = live(session.userId);
      if (current.some((stored) => stored.record.id === session.id)) {
        throw new Error('Session id collision');
      }
      const evictedSessionIds: string[] = [];
      if (limit.max > 0 && current.length >= limit.max) {
        if (limit.policy === 'reject') return { status: 'limit-reached' };
        for (const stored of current.slice(0, current.length - limit.max + 1)) {
          remove(session.userId, stored.record.id);
          evictedSessionIds.push(stored.record.id);
        }
      }
      // Arrival order, even for logins within the same millisecond.
      const remaining = current.filter((stored) => !evictedSessionIds.includes(stored.record.id));
      const newestScore = remaining.at(-1)?.score ?? -Infinity;
      add(session, Math.max(session.createdAt, newestScore + 1));
      return { status: 'created', evictedSessionIds };
    },
    async record(session) {
      if (live(session.userId).some((stored) => stored.record.id === session.id)) return false;
      // Placed by its true creation time among the others.
      add(session, session.createdAt);
      return true;
    },
    async check(userId, sessionId, nowMs, touchIntervalMs) {
      const stored = live(userId).find((candidate) => candidate.record.id === sessionId);
      if (!stored) {
        return {
          found: false,
          revoked: recall(sessionMark(userId, sessionId)) !== undefined,
          allRevokedAt: recall(allMark(userId)),
          account: await lookupAccount(userId),
        };
      }
      if (nowMs - stored.record.lastSeenAt >= touchIntervalMs) {
        stored.record = { ...stored.record, lastSeenAt: nowMs };
      }
      return { found: true, revoked: false, allRevokedAt: undefined, account: await lookupAccount(userId) };
    },
    async rotateRefresh(userId, sessionId, rotation): Promise<RefreshOutcome> {
      const stored = live(userId).find((candidate) => candidate.record.id === sessionId);
      if (!stored?.refreshTokenHash) return { status: 'unknown' };
      if (stored.refreshTokenHash !== rotation.presentedHash) {
        if (!stored.usedRefreshTokenHashes.includes(rotation.presentedHash)) return { status: 'unknown' };
        remove(userId, sessionId);
        return { status: 'reused' };
      }
      stored.usedRefreshTokenHashes = [...stored.usedRefreshTokenHashes, stored.refreshTokenHash].slice(-USED_REFRESH_HASHES_KEPT);
      stored.refreshTokenHash = rotation.nextHash;
      stored.record = {
        ...stored.record,
        expiresAt: Math.min(rotation.nowMs + rotation.idleTtlMs, stored.record.absoluteExpiresAt),
        lastSeenAt: rotation.nowMs,
      };
      return { status: 'rotated', session: { ...stored.record } };
    },
    async list(userId) {
      return live(userId)
        .reverse()
        .map((stored) => ({ ...stored.record }));
    },
    async revoke(userId, sessionId) {
      live(userId);
      return remove(userId, sessionId);
    },
    async revokeAll(userId, keepSessionId) {
      let revoked = 0;
      for (const stored of live(userId)) {
        if (stored.record.id !== keepSessionId && remove(userId, stored.record.id)) revoked += 1;
      }
      remember(allMark(userId));
      return revoked;
    },
  };
}
