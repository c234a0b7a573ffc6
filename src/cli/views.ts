import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { fields, isoTime, table } from './text-format';

/**
 * What the CLI shows of a user: picked field by field, so the password hash can
 * never be printed by accident, with times as ISO 8601.
 */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly authorities: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly absoluteExpiresAt: string;
  readonly lastSeenAt: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export function userView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email ?? null,
    emailVerified: user.emailVerified ?? false,
    authorities: [...user.authorities],
    disabled: user.disabled,
    createdAt: isoTime(user.createdAt),
  };
}

/** Just enough to say whose result it is. */
export function userRef(user: UserRecord): { readonly id: string; readonly username: string } {
  return { id: user.id, username: user.username };
}

export function sessionView(session: SessionRecord): SessionView {
  return {
    id: session.id,
    createdAt: isoTime(session.createdAt),
    expiresAt: isoTime(session.expiresAt),
    absoluteExpiresAt: isoTime(session.absoluteExpiresAt),
    lastSeenAt: isoTime(session.lastSeenAt),
    ip: session.ip ?? null,
    userAgent: session.userAgent ?? null,
  };
}

export function authoritiesText(authorities: readonly string[]): string {
  return authorities.length === 0 ? '(none)' : authorities.join(', ');
}

export function userFieldsText(user: UserView): string {
  return fields([
    ['id', user.id],
    ['username', user.username],
    ['email', user.email ?? '(none)'],
    ['email verified', yesNo(user.emailVerified)],
    ['authorities', authoritiesText(user.authorities)],
    ['disabled', yesNo(user.disabled)],
    ['created', user.createdAt],
  ]);
}

export function usersTableText(users: readonly UserView[]): string {
  return table(
    ['ID', 'USERNAME', 'EMAIL', 'VERIFIED', 'AUTHORITIES', 'DISABLED', 'CREATED'],
    users.map((user) => [
      user.id,
      user.username,
      user.email ?? '',
      yesNo(user.emailVerified),
      user.authorities.join(','),
      yesNo(user.disabled),
      user.createdAt,
    ]),
  );
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

export function sessionsTableText(sessions: readonly SessionView[]): string {
  if (sessions.length === 0) return 'no live sessions\n';
  return table(
    ['SESSION', 'CREATED', 'EXPIRES', 'LAST SEEN', 'IP', 'USER AGENT'],
    sessions.map((session) => [
      session.id,
      session.createdAt,
      session.expiresAt,
      session.lastSeenAt,
      session.ip ?? '',
      session.userAgent ?? '',
    ]),
  );
}
