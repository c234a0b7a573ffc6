import { type ASTVisitor, type FragmentDefinitionNode, Kind, type ValidationContext, type ValidationRule } from 'graphql';
import { measureOperation } from './document-measure';
import { asGraphQLError, LimitExceededError, type LimitName } from '@graphql-auth-service/subgraph/errors';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  /**
   * Root mutation fields that each spend a bcrypt hash (login, changePassword,
   * createUser): more than this many in one operation is refused, so one request
   * cannot buy many password checks with aliases.
   */
  readonly credentialFields?: readonly string[];
}

const MAX_CREDENTIAL_CHECKS = 1;

/**
 * A validation rule, so Apollo runs it once per distinct document and caches the
 * verdict with the parsed document; a refused document never executes.
 */
export function createQueryLimitsRule(limits: QueryLimits): ValidationRule {
  const credentialFields = new Set(limits.credentialFields ?? []);

  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((definition) => [definition.name.value, definition]),
    );
    return {
      OperationDefinition(operation) {
        const measure = measureOperation(operation, fragments);
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        const refuse = (message: string, limit: LimitName, max: number, actual: number) =>
          context.reportError(asGraphQLError(new LimitExceededError(message, limit, max, actual), { nodes: operation, wholeRequest: true }));
        if (measure.depth > limits.maxDepth) {
          refuse(`${name} is nested ${measure.depth} levels deep; the limit is ${limits.maxDepth}`, 'maxDepth', limits.maxDepth, measure.depth);
        }
        if (measure.cost > limits.maxCost) {
          refuse(`${name} selects ${measure.cost} fields once fragments are expanded; the limit is ${limits.maxCost}`, 'maxCost', limits.maxCost, measure.cost);
        }
        if (measure.aliases > limits.maxAliases) {
          refuse(`${name} uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}`, 'maxAliases', limits.maxAliases, measure.aliases);
        }
        const checks = operation.operation === 'mutation' ? measure.rootFields.filter((field) => credentialFields.has(field)).length : 0;
        if (checks > MAX_CREDENTIAL_CHECKS) {
          refuse(`${name} checks a password ${checks} times (${[...credentialFields].join(', ')}); one per request`, 'maxCredentialChecks', MAX_CREDENTIAL_CHECKS, checks);
        }
      },
    };
  };
}
