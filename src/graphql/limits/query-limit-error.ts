import { GraphQLError, type ASTNode } from 'graphql';

export type QueryLimitName = 'maxDepth' | 'maxCost' | 'maxAliases' | 'maxCredentialChecks' | 'maxBatch' | 'maxRepresentations';

/**
 * A document or request over one of the server's bounds. It leaves as
 * BAD_USER_INPUT (HTTP 400) with `limit`, `max` and `actual` in extensions, so a
 * client can tell which bound it hit without parsing the message.
 */
export class QueryLimitError extends GraphQLError {
  readonly limit: QueryLimitName;

  constructor(message: string, limit: QueryLimitName, max: number, actual: number, node?: ASTNode) {
    // `http` is read by Apollo when the error is thrown outside validation (a plugin), and dropped from the response.
    super(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT', limit, max, actual, http: { status: 400 } } });
    this.name = 'QueryLimitError';
    this.limit = limit;
  }
}
