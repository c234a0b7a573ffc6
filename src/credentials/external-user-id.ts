import { createHash } from 'node:crypto';

/**
 * The local id of a user that a remote system knows by its own id: a stable
 * UUID-shaped digest, so its keys, sessions and tokens look like any other user's
 * and a remote id can never name a local account.
 */
export function externalUserId(remoteId: string): string {
  const hex = createHash('sha256').update(`remote:${remoteId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
