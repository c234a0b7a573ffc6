import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** What a query limit looks at, for one operation with its fragments expanded. */
export interface DocumentMeasure {
  /** Nesting of fields: `{ me { id } }` is 2. */
  readonly depth: number;
  /** Fields selected, each spread of a fragment counted again. */
  readonly cost: number;
  readonly aliases: number;
  /** Names of the operation's root fields, as often as each is selected. */
  readonly rootFields: readonly string[];
}

interface SetMeasure {
  readonly depth: number;
  readonly cost: number;
  readonly aliases: number;
}

const NOTHING: SetMeasure = { depth: 0, cost: 0, aliases: 0 };

/**
 * Measures an operation in time linear in the document: each fragment is measured
 * once and its result reused, so a "fragment bomb" (fragments spreading each other
 * twice, ten levels deep) costs no more to measure than to read, while its count
 * still grows the way execution would. A fragment cycle measures as nothing here;
 * graphql-js's NoFragmentCycles rule refuses it.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): DocumentMeasure {
  const measured = new Map<string, SetMeasure>();
  const inProgress = new Set<string>();

  function fragment(name: string): SetMeasure {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const result = selectionSet(definition.selectionSet);
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  }

  function selectionSet(set: SelectionSetNode): SetMeasure {
    let depth = 0;
    let cost = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? selectionSet(selection.selectionSet) : NOTHING;
        depth = Math.max(depth, 1 + child.depth);
        cost += 1 + child.cost;
        aliases += (selection.alias ? 1 : 0) + child.aliases;
      } else {
        const child = selection.kind === Kind.INLINE_FRAGMENT ? selectionSet(selection.selectionSet) : fragment(selection.name.value);
        depth = Math.max(depth, child.depth);
        cost += child.cost;
        aliases += child.aliases;
      }
    }
    return { depth, cost, aliases };
  }

  return { ...selectionSet(operation.selectionSet), rootFields: rootFieldNames(operation.selectionSet, fragments, new Set()) };
}

function rootFieldNames(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): string[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, visiting);
    const definition = fragments.get(selection.name.value);
    if (!definition || visiting.has(definition.name.value)) return [];
    visiting.add(definition.name.value);
    const names = rootFieldNames(definition.selectionSet, fragments, visiting);
    visiting.delete(definition.name.value);
    return names;
  });
}
