import { createHash } from 'node:crypto';

/**
 * A short digest of the password hash a token was issued against. The token's payload
 * carries it; when the password has changed since, by any route, the stamps differ and
 * the token is dead, without anything having to find and delete it.
 */
export function passwordStamp(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}
