import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import { isUserId } from '@graphql-auth-service/subgraph/ids';

/** Opaque page cursors: the last user id of a page, so clients do not build them. */
export function encodeCursor(userId: string): string {
  return Buffer.from(`u:${userId}`, 'utf8').toString('base64url');
}

/** Throws BAD_USER_INPUT for a cursor this service did not make, rather than starting over silently. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const userId = text.startsWith('u:') ? text.slice(2) : '';
  if (!isUserId(userId)) throw new BadUserInputError('Unknown cursor: pass an endCursor from a previous page', { details: { field: 'after' } });
  return userId;
}
