import { GraphQLError } from 'graphql';
import pino from 'pino';
import { asGraphQLError, LimitExceededError, RateLimitedError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { createErrorFormatter } from '../../src/server/format-error';

function formatterWithLog() {
  const lines: string[] = [];
  const format = createErrorFormatter(pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }));
  return { format, lines };
}

/** What Apollo hands formatError for an error thrown in a resolver. */
function asResolverError(original: Error) {
  const wrapped = new GraphQLError(original.message, { path: ['me'], originalError: original });
  return { formatted: { message: original.message, path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1:1'] } }, wrapped };
}

describe('error masking', () => {
  it('masks an unexpected error: no message, no stack trace, logged for the operator', () => {
    const { format, lines } = formatterWithLog();
    const { formatted, wrapped } = asResolverError(new Error('ECONNRESET 10.0.0.7:6379 while reading user:123'));
    expect(format(formatted, wrapped)).toEqual({ message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('ECONNRESET');
  });

  it('passes on a service error with its code and details, never its internal reason', () => {
    const { format } = formatterWithLog();
    const { formatted, wrapped } = asResolverError(new UnauthenticatedError('Invalid or expired token', { logReason: 'session not found' }));
    const result = format(formatted, wrapped);
    expect(result).toEqual({ message: 'Invalid or expired token', path: ['me'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(JSON.stringify(result)).not.toContain('session not found');
  });

  it('keeps retryAfter on RATE_LIMITED and drops the HTTP head Apollo has already applied', () => {
    const { format } = formatterWithLog();
    const { formatted, wrapped } = asResolverError(new RateLimitedError('Too many', { details: { retryAfter: 30 } }));
    expect(format(formatted, wrapped).extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30 });
  });

  it('reports a query limit as BAD_USER_INPUT with the bound, though Apollo files it as a validation failure', () => {
    const { format } = formatterWithLog();
    const limit = asGraphQLError(new LimitExceededError('The operation uses 50 aliases; the limit is 15', 'maxAliases', 15, 50), { wholeRequest: true });
    const validation = new GraphQLError(limit.message, { originalError: limit, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = { message: limit.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases', max: 15, actual: 50 } };
    expect(format(formatted, validation).extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'maxAliases', max: 15, actual: 50 });
  });
});
