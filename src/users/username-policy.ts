import { BadUserInputError } from '../errors';
import { normalizeUsername } from './username';

const MAX_USERNAME_LENGTH = 64;
/** Letters (with their combining marks), digits and a few separators: no spaces, braces or control characters in Redis keys or logs. */
const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._@-]*$/u;

/** Normalises a new username and throws BAD_USER_INPUT when it is not acceptable. */
export function acceptableUsername(username: string): string {
  const normalized = normalizeUsername(username);
  if (normalized.length === 0 || [...normalized].length > MAX_USERNAME_LENGTH || !USERNAME_PATTERN.test(normalized)) {
    throw new BadUserInputError(
      `Username must be 1 to ${MAX_USERNAME_LENGTH} letters, digits or . _ @ -, starting with a letter or digit`,
      { details: { field: 'username' } },
    );
  }
  return normalized;
}
