import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks for any of `fields` of the value the resolver returns,
 * directly or through fragments. `@skip` and `@include` are not evaluated: a field
 * that may be asked for counts as asked.
 */
export function selectsAnyField(info: GraphQLResolveInfo, fields: ReadonlySet<string>): boolean {
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
