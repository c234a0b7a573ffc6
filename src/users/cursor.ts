/** Opaque page cursors: the last user id of a page, so clients do not build them. */
export function encodeCursor(userId: string): string {
  return Buffer.from(`u:${userId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('u:') ? text.slice(2) : undefined;
}
