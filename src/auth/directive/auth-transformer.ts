import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  type GraphQLFieldConfig,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../../errors';
import type { Principal } from '../principal';
import { AUTH_DIRECTIVE_NAME } from './auth-directive';
import { type AuthRule, satisfiesRule } from './auth-rule';

export interface AuthTransformerOptions<TContext> {
  /** Reads the principal the context builder put on the context; undefined when anonymous. */
  readonly principalOf: (context: TContext) => Principal | undefined;
}

/**
 * Enforces `@auth` by wrapping the resolver of every guarded field. A field is
 * guarded by `@auth` on itself, on its type, on an interface the type implements,
 * or on the same field of such an interface; every rule that applies must hold.
 */
export function authDirectiveTransformer<TContext>(
  schema: GraphQLSchema,
  { principalOf }: AuthTransformerOptions<TContext>,
): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const rules = rulesFor(schema, fieldConfig, fieldName, typeName);
      if (rules.length === 0) return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(source, args, context: TContext, info) {
          const principal = principalOf(context);
          if (!principal) throw new UnauthenticatedError('You must be logged in to do this');
          const unmet = rules.find((rule) => !satisfiesRule(principal.authorities, rule));
          if (unmet) {
            throw new ForbiddenError('You do not have the authority to do this', {
              details: { requires: unmet.requires, anyOf: unmet.anyOf },
            });
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
}

function rulesFor(
  schema: GraphQLSchema,
  fieldConfig: GraphQLFieldConfig<unknown, unknown>,
  fieldName: string,
  typeName: string,
): AuthRule[] {
  const rules = readRules(schema, fieldConfig);
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return rules;
  rules.push(...readRules(schema, type));
  for (const iface of type.getInterfaces()) {
    const fromSchema = schema.getType(iface.name);
    if (!isInterfaceType(fromSchema)) continue;
    rules.push(...readRules(schema, fromSchema));
    const ifaceField = fromSchema.getFields()[fieldName];
    if (ifaceField) rules.push(...readRules(schema, ifaceField));
  }
  return rules;
}

function readRules(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): AuthRule[] {
  return (getDirective(schema, node, AUTH_DIRECTIVE_NAME) ?? []).map((args) => ({
    requires: (args.requires as string[] | undefined) ?? [],
    anyOf: (args.anyOf as string[] | undefined) ?? [],
  }));
}
