import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; a longer password would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

/** Throws BAD_USER_INPUT naming the rule a new password breaks, and the input field that holds it. */
export function assertAcceptablePassword(password: string, username: string, field = 'password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, {
      details: { field },
    });
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new BadUserInputError(`Password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8`, {
      details: { field },
    });
  }
  if (password.normalize('NFKC').toLowerCase() === username) {
    throw new BadUserInputError('Password must not equal the username', { details: { field } });
  }
}
