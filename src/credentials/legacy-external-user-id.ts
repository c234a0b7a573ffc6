import { createHash } from 'node:crypto';

/**
 * The id earlier versions gave a remote user: an unkeyed digest of its remote id, so
 * anyone could compute it. New remote users get random ids; this is kept only to find
 * the accounts made before, whose ids other subgraphs may already hold.
 */
export function legacyExternalUserId(remoteId: string): string {
  const hex = createHash('sha256').update(`remote:${remoteId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
