import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import { normalizeUsername } from './username';
import { enforceUsernameProfile, MAX_USERNAME_LENGTH, type UsernameRefusal } from './username-profile';

const MESSAGES: Readonly<Record<UsernameRefusal, string>> = {
  shape: `Username must be 1 to ${MAX_USERNAME_LENGTH} letters, digits or . _ @ -, starting with a letter or digit`,
  character:
    'Username contains a character that is not allowed: compatibility forms (such as ﬁ, ª or ①), invisible characters and symbols are refused',
  direction:
    'Username mixes right-to-left text with digits or punctuation in a way that can display misleadingly: start with a letter, end with a letter or digit, and do not mix Arabic-Indic with European digits',
  'mixed-scripts':
    'Username must be written in a single script (Latin may be combined with Chinese, Japanese or Korean)',
};

/**
 * The spelling a new username is stored under, or BAD_USER_INPUT (`field: "username"`)
 * when it is not acceptable: see enforceUsernameProfile. For local accounts (the
 * GraphQL createUser, the CLI, the bootstrap administrator) and for names that a
 * remote authentication system hands over. That a name is not too similar to
 * another user's is the user store's check (it needs the other names).
 */
export function acceptableUsername(username: string): string {
  const result = enforceUsernameProfile(username);
  if (!result.accepted) throw refusal(result.refusal);
  // Logins look names up through normalizeUsername, so a name it would spell
  // differently could never log in. The property tests find no such name; this
  // keeps it true for whatever they do not reach.
  if (normalizeUsername(username) !== result.username) throw refusal('character');
  return result.username;
}

function refusal(reason: UsernameRefusal): BadUserInputError {
  return new BadUserInputError(MESSAGES[reason], { details: { field: 'username' }, logReason: `username ${reason}` });
}
