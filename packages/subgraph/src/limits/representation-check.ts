import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  isUnionType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { asGraphQLError, BadUserInputError, LimitExceededError } from '../errors';

const ENTITIES_FIELD = '_entities';
const ENTITY_UNION = '_Entity';

/**
 * Checks entity representations before any of them is looked up: at most `max` in one
 * request (every `_entities` field of the operation together, inline or from
 * variables), since each costs a read of the store; and each one an object naming an
 * entity type of this subgraph, so a malformed one is the client's BAD_USER_INPUT
 * (HTTP 400), not a fault deep in entity resolution.
 */
export function createRepresentationCheck(max: number): ApolloServerPlugin {
  // Apollo keeps one parsed document per query text and one schema: what follows from
  // them alone is worked out once, and an operation without `_entities` costs one lookup.
  const entityFieldsOf = new WeakMap<OperationDefinitionNode, readonly FieldNode[]>();
  const entityTypesOf = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  // The hooks keep no state of their own: one object serves every request.
  const hooks: GraphQLRequestListener<BaseContext> = {
    async didResolveOperation({ operation, document, request, schema }) {
      if (!operation || operation.operation !== 'query') return;
      const fields = remembered(entityFieldsOf, operation, () => entityFields(operation, document));
      if (fields.length === 0) return;
      const representations = fields.flatMap((field) => representationsOf(field, request.variables ?? {}));
      if (representations.length > max) {
        const message = `The request asks for ${representations.length} entity representations; the limit is ${max}`;
        throw asGraphQLError(new LimitExceededError(message, 'maxRepresentations', max, representations.length), { wholeRequest: true });
      }
      const entityTypes = remembered(entityTypesOf, schema, () => entityTypeNames(schema));
      const malformed = representations.findIndex((representation) => !entityTypes.has(typenameOf(representation) ?? ''));
      if (malformed >= 0) {
        const message = `Representation ${malformed} is not an object with the __typename of an entity of this subgraph`;
        throw asGraphQLError(new BadUserInputError(message, { details: { field: 'representations' } }), { wholeRequest: true });
      }
    },
  };
  return { requestDidStart: async () => hooks };
}

function remembered<K extends object, V>(cache: WeakMap<K, V>, key: K, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  cache.set(key, value);
  return value;
}

/** A representation as sent: a literal from the document or a value from the variables. */
type Representation = { readonly literal: ValueNode } | { readonly value: unknown };

function typenameOf(representation: Representation): string | undefined {
  if ('literal' in representation) {
    const { literal } = representation;
    if (literal.kind !== Kind.OBJECT) return undefined;
    const typename = literal.fields.find((field) => field.name.value === '__typename')?.value;
    return typename?.kind === Kind.STRING ? typename.value : undefined;
  }
  const { value } = representation;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const typename = (value as Record<string, unknown>).__typename;
  return typeof typename === 'string' ? typename : undefined;
}

function entityTypeNames(schema: GraphQLSchema): Set<string> {
  const union = schema.getType(ENTITY_UNION);
  return new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);
}

/** `_entities` fields at the root of the operation, through fragments and aliases. */
function entityFields(operation: OperationDefinitionNode, document: DocumentNode): FieldNode[] {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((definition) => [definition.name.value, definition]),
  );
  const found: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === ENTITIES_FIELD) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return found;
}

function representationsOf(field: FieldNode, variables: Record<string, unknown>): Representation[] {
  const argument = field.arguments?.find((candidate) => candidate.name.value === 'representations');
  if (!argument) return [];
  const { value } = argument;
  if (value.kind === Kind.LIST) return value.values.map((literal) => ({ literal }));
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    // A single value stands for a list of one (GraphQL's input coercion).
    return Array.isArray(given) ? given.map((item: unknown) => ({ value: item })) : [{ value: given }];
  }
  return [{ literal: value }];
}
