import type { ApolloServerPlugin } from '@apollo/server';
import { type FieldNode, Kind, type OperationDefinitionNode, type SelectionSetNode, type FragmentDefinitionNode } from 'graphql';
import { QueryLimitError } from './query-limit-error';

const ENTITIES_FIELD = '_entities';

/**
 * Refuses a request asking for more than `max` entity representations (every
 * `_entities` field of the operation together, inline or from variables) before
 * any of them is looked up: each one costs a read of the store.
 */
export function createRepresentationLimit(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation || operation.operation !== 'query') return;
          const fragments = new Map(
            document.definitions
              .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
              .map((definition) => [definition.name.value, definition]),
          );
          const actual = entityFields(operation, fragments).reduce((sum, field) => sum + representationCount(field, request.variables ?? {}), 0);
          if (actual > max) {
            throw new QueryLimitError(`The request asks for ${actual} entity representations; the limit is ${max}`, 'maxRepresentations', max, actual);
          }
        },
      };
    },
  };
}

/** `_entities` fields at the root of the operation, through fragments and aliases. */
function entityFields(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode[] {
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

function representationCount(field: FieldNode, variables: Record<string, unknown>): number {
  const argument = field.arguments?.find((candidate) => candidate.name.value === 'representations');
  if (!argument) return 0;
  const { value } = argument;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return Array.isArray(given) ? given.length : 1;
  }
  return 1;
}
