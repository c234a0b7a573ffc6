import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';

/** One answer for a token unknown, used, expired or outdated: the caller needs a new link, nothing more. */
export function invalidLink(): BadUserInputError {
  return new BadUserInputError('This link is invalid or has expired; ask for a new one', { details: { field: 'token' } });
}
