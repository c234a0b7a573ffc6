import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { createResolversMap, type ContainerType } from 'type-graphql';
import { AUTH_SPEC_URL } from '@graphql-auth-service/subgraph/auth/directive/auth-link';
import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { buildAuthSchema } from './build-schema';
import { UserType } from './types/user-type';

const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "${AUTH_SPEC_URL}", import: ["@auth"])
  @composeDirective(name: "@auth")`;

export interface SubgraphSchemaDeps {
  readonly container?: ContainerType;
  /** Resolves `User` entities other subgraphs reference by id. */
  readonly findUser: (id: string) => Promise<UserRecord | undefined>;
}

/**
 * The auth service as a Federation 2 subgraph: the type-graphql schema printed with
 * its directives (`@key` on User, `@auth` on fields), linked to the federation and
 * auth specs, and rebuilt by `buildSubgraphSchema` with the same resolvers.
 */
export function buildAuthSubgraphSchema({ container, findUser }: SubgraphSchemaDeps): GraphQLSchema {
  const schema = buildAuthSchema(container);
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  const userResolvers = (resolvers.User ?? {}) as Record<string, unknown>;
  resolvers.User = {
    ...userResolvers,
    async __resolveReference(reference: { id?: unknown }) {
      // Representations are client JSON: anything but a string id is the caller's mistake, not ours.
      if (typeof reference.id !== 'string') {
        throw new BadUserInputError('A User representation needs a string id', { details: { field: 'representations' } });
      }
      const user = await findUser(reference.id);
      return user ? UserType.from(user) : null;
    },
  };
  return buildSubgraphSchema({ typeDefs, resolvers });
}
