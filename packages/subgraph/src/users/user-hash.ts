import type { UserRecord } from './user';

/**
 * The user record as a Redis hash. The session check script reads `authorities`
 * and `disabled` from it directly, so this encoding is shared by both stores.
 */
export function toHash(user: Partial<UserRecord>): Record<string, string> {
  const hash: Record<string, string> = {};
  if (user.id !== undefined) hash.id = user.id;
  if (user.username !== undefined) hash.username = user.username;
  if (user.passwordHash !== undefined) hash.passwordHash = user.passwordHash;
  if (user.authorities !== undefined) hash.authorities = JSON.stringify(user.authorities);
  if (user.disabled !== undefined) hash.disabled = user.disabled ? '1' : '0';
  if (user.createdAt !== undefined) hash.createdAt = String(user.createdAt);
  if (user.email !== undefined) hash.email = user.email;
  if (user.emailVerified !== undefined) hash.emailVerified = user.emailVerified ? '1' : '0';
  return hash;
}

export function fromHash(hash: Record<string, string>): UserRecord | undefined {
  if (hash.id === undefined) return undefined;
  return {
    id: hash.id,
    username: hash.username,
    passwordHash: hash.passwordHash,
    authorities: parseAuthorities(hash.authorities),
    disabled: hash.disabled === '1',
    createdAt: Number(hash.createdAt),
    // Left out when not stored, so a record from before addresses reads exactly as it did.
    ...(hash.email !== undefined && { email: hash.email }),
    ...(hash.emailVerified !== undefined && { emailVerified: hash.emailVerified === '1' }),
  };
}

export function parseAuthorities(json: string | undefined): string[] {
  const parsed: unknown = json === undefined ? [] : JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}
