import type { NewSession, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import { decodeUserAgent, encodeUserAgent } from './user-agent-codec';

/**
 * A session record in Redis: one string, not a hash, because a string key costs
 * about a third of a small hash's memory. Fields in this order, separated by `|`
 * (no field can contain one; `session-record.lua` reads the same layout):
 *
 *     createdAt | expiresAt | absoluteExpiresAt | lastSeenAt | refresh hash | used hashes | ip | user agent | amr
 *
 * Timestamps are epoch milliseconds in base 36; used hashes are comma-separated
 * prefixes; the user agent is deflated (user-agent-codec.ts); amr is comma-separated
 * (RFC 8176 names hold no `,` or `|`), and absent from records of older versions.
 */
export function encodeSessionRecord(session: SessionRecord | NewSession): string {
  const refreshHash = 'refreshTokenHash' in session ? (session.refreshTokenHash ?? '') : '';
  return [
    session.createdAt.toString(36),
    session.expiresAt.toString(36),
    session.absoluteExpiresAt.toString(36),
    session.lastSeenAt.toString(36),
    refreshHash,
    '',
    session.ip ?? '',
    session.userAgent === undefined ? '' : encodeUserAgent(session.userAgent),
    (session.amr ?? []).join(','),
  ].join('|');
}

export function decodeSessionRecord(userId: string, id: string, record: string): SessionRecord {
  const [createdAt, expiresAt, absoluteExpiresAt, lastSeenAt, , , ip, userAgent, amr] = record.split('|');
  const decodedAgent = userAgent ? decodeUserAgent(userAgent) : undefined;
  return {
    id,
    userId,
    createdAt: parseInt(createdAt, 36),
    expiresAt: parseInt(expiresAt, 36),
    absoluteExpiresAt: parseInt(absoluteExpiresAt, 36),
    lastSeenAt: parseInt(lastSeenAt, 36),
    ...(ip && { ip }),
    ...(decodedAgent !== undefined && { userAgent: decodedAgent }),
    ...(amr && { amr: amr.split(',') }),
  };
}
