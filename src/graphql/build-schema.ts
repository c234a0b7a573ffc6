import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync, type ContainerType } from 'type-graphql';
import { authDirective } from '@graphql-auth-service/subgraph/auth/directive/auth-directive';
import { AuthResolver } from './resolvers/auth-resolver';
import { PasskeyResolver } from './resolvers/passkey-resolver';
import { SecondFactorResolver } from './resolvers/second-factor-resolver';
import { SelfServiceResolver } from './resolvers/self-service-resolver';
import { SessionResolver } from './resolvers/session-resolver';
import { UserAdminResolver } from './resolvers/user-admin-resolver';

export const resolverClasses = [AuthResolver, SessionResolver, UserAdminResolver, SelfServiceResolver, SecondFactorResolver, PasskeyResolver] as const;

/**
 * The schema from the type-graphql classes, before `@auth` is enforced. The
 * container hands out resolver instances built with their dependencies; printing
 * the schema needs none.
 */
export function buildAuthSchema(container?: ContainerType): GraphQLSchema {
  return buildSchemaSync({
    resolvers: resolverClasses,
    container,
    directives: [authDirective],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
  });
}
