import { GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';

/** `__resolveReference` as @apollo/subgraph keeps it on a type: representation in, entity (or null) out. */
export type ReferenceResolver = (reference: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;

interface SubgraphExtensions {
  readonly apollo?: { readonly subgraph?: { readonly resolveReference?: ReferenceResolver } };
}

const representationItself: ReferenceResolver = (reference) => reference;

/**
 * The reference resolver `_entities` calls for this type, when the type is an entity
 * (`@key`); a key without a resolver answers the representation itself.
 */
export function referenceResolverOf(type: GraphQLObjectType): ReferenceResolver | undefined {
  const extensions = type.extensions as SubgraphExtensions;
  const defined = extensions.apollo?.subgraph?.resolveReference;
  if (defined) return defined;
  const isEntity = (type.astNode?.directives ?? []).some((directive) => directive.name.value === 'key')
    || (type.extensionASTNodes ?? []).some((node) => (node.directives ?? []).some((directive) => directive.name.value === 'key'));
  return isEntity ? representationItself : undefined;
}

export function withReferenceResolver(type: GraphQLObjectType, resolveReference: ReferenceResolver): GraphQLObjectType {
  const config = type.toConfig();
  const extensions = config.extensions as SubgraphExtensions & Record<string, unknown>;
  return new GraphQLObjectType({
    ...config,
    extensions: { ...extensions, apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference } } },
  });
}
