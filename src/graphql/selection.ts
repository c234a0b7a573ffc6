import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks for any of `fields` of the value the resolver returns,
 * directly or through fragments. `@skip` and `@include` are not evaluated: a field
 * that may be asked for counts as asked.
 */
function selectsAnyField(info: GraphQLResolveInfo, fields: ReadonlySet<string>): boolean {
  const spread = new Set<string>();
  const search = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return fields.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return search(selection.selectionSet);
      if (spread.has(selection.name.value)) return false;
      spread.add(selection.name.value);
      return search(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => search(node.selectionSet));
}

/**
 * `selectsAnyField` for one set of fields, remembered per field node: Apollo keeps one
 * parsed document per query text, so a query sent again is answered without a walk.
 */
export function createSelectionCheck(fields: ReadonlySet<string>): (info: GraphQLResolveInfo) => boolean {
  const known = new WeakMap<FieldNode, boolean>();
  return (info) => {
    const node = info.fieldNodes[0];
    const remembered = info.fieldNodes.length === 1 ? known.get(node) : undefined;
    if (remembered !== undefined) return remembered;
    const selects = selectsAnyField(info, fields);
    if (info.fieldNodes.length === 1) known.set(node, selects);
    return selects;
  };
}
