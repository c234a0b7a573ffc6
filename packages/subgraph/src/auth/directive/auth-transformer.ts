import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  type GraphQLFieldConfig,
  type GraphQLObjectType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../../errors';
import { usedSecondFactor } from '../amr';
import type { Principal } from '../principal';
import { AUTH_DIRECTIVE_NAME } from './auth-directive';
import { allows, type AuthRule, namesAuthorities } from './auth-rule';
import { type ReferenceResolver, referenceResolverOf, withReferenceResolver } from './entity-reference';
import { viewerOf } from './viewed-by';

export interface AuthTransformerOptions<TContext> {
  /** Reads the principal the context builder put on the context; undefined when anonymous. */
  readonly principalOf: (context: TContext) => Principal | undefined;
  /**
   * Authorities that count only in a session that used a second factor (`ROLE_ADMIN`,
   * say): a rule the caller passes only through one of them answers MFA_REQUIRED
   * otherwise, as if it said `mfa: true`. Rules the caller passes without them (as the
   * owner, or through another authority) are not affected.
   */
  readonly mfaForAuthorities?: readonly string[];
}

const NOT_LOGGED_IN = 'You must be logged in to do this';
const NO_AUTHORITY = 'You do not have the authority to do this';
const NO_SECOND_FACTOR = 'Sign in with a second factor (a one-time code or a passkey) to do this';

type Enforce = (rules: readonly AuthRule[], principal: Principal | undefined, parent: unknown) => void;

/**
 * Enforces `@auth` by wrapping the resolver of every guarded field. A field is
 * guarded by `@auth` on itself, on its type, on an interface the type implements,
 * or on the same field of such an interface; every rule that applies must hold.
 *
 * A federation entity is reachable through `_entities` without any Query field, so
 * a type's own rules also guard its reference resolver: the caller is checked before
 * the entity is looked up (no lookup, and no "exists or not" answer, for a caller
 * who may not see it), and ownership once it is found.
 */
export function authDirectiveTransformer<TContext>(
  schema: GraphQLSchema,
  { principalOf, mfaForAuthorities = [] }: AuthTransformerOptions<TContext>,
): GraphQLSchema {
  const enforce = createEnforce(new Set(mfaForAuthorities));
  const callerOf = (source: unknown, context: TContext) => viewerOf(source) ?? principalOf(context);
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const rules = typeRules(schema, type);
      const resolveReference = referenceResolverOf(type);
      if (rules.length === 0 || !resolveReference) return type;
      return withReferenceResolver(type, guardedReference(rules, resolveReference, principalOf, enforce));
    },
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const rules = rulesFor(schema, fieldConfig, fieldName, typeName);
      if (rules.length === 0) return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(source, args, context: TContext, info) {
          enforce(rules, callerOf(source, context), source);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}

/**
 * Authentication, then the authorities, then the second factor: a caller without the
 * authority hears that, whatever their session used; one with it who still lacks a
 * second factor hears MFA_REQUIRED, so a client knows to sign in again with one.
 */
function createEnforce(mfaForAuthorities: ReadonlySet<string>): Enforce {
  const passesOnlyThroughMfaAuthority = (rules: readonly AuthRule[], principal: Principal, parent: unknown): boolean => {
    if (mfaForAuthorities.size === 0 || !principal.authorities.some((authority) => mfaForAuthorities.has(authority))) return false;
    const withoutThem = { userId: principal.userId, authorities: principal.authorities.filter((authority) => !mfaForAuthorities.has(authority)) };
    return rules.some((rule) => !allows(rule, withoutThem, parent));
  };
  return (rules, principal, parent) => {
    if (!principal) throw new UnauthenticatedError(NOT_LOGGED_IN);
    const unmet = rules.find((rule) => !allows(rule, principal, parent));
    if (unmet) throw forbidden(unmet);
    if (usedSecondFactor(principal.amr)) return;
    if (rules.some((rule) => rule.mfa) || passesOnlyThroughMfaAuthority(rules, principal, parent)) {
      throw new ForbiddenError(NO_SECOND_FACTOR, { details: { reason: 'MFA_REQUIRED' } });
    }
  };
}

function forbidden(rule: AuthRule): ForbiddenError {
  return new ForbiddenError(NO_AUTHORITY, {
    details: { requires: rule.requires, anyOf: rule.anyOf, ...(rule.ownedBy !== undefined && { ownerOnly: !namesAuthorities(rule) }) },
  });
}

/**
 * Checks the caller before the lookup (authentication, and the authorities of rules
 * without an owner), then the owner rules on what was found. A caller who is neither
 * owner nor holder of the listed authorities gets FORBIDDEN whether or not the entity
 * exists.
 */
function guardedReference<TContext>(
  rules: readonly AuthRule[],
  resolveReference: ReferenceResolver,
  principalOf: (context: TContext) => Principal | undefined,
  enforce: Enforce,
): ReferenceResolver {
  const ownerRules = rules.filter((rule) => rule.ownedBy !== undefined);
  const callerRules = rules.filter((rule) => rule.ownedBy === undefined);
  return async (reference, context, info) => {
    const principal = principalOf(context as TContext);
    enforce(callerRules, principal, reference);
    const entity: unknown = await resolveReference(reference, context, info);
    // An entity not found has no owner: only the rule's authorities let a caller through.
    enforce(ownerRules, principal, entity);
    return entity;
  };
}

function typeRules(schema: GraphQLSchema, type: GraphQLObjectType): AuthRule[] {
  const rules = readRules(schema, type);
  for (const iface of type.getInterfaces()) {
    const fromSchema = schema.getType(iface.name);
    if (isInterfaceType(fromSchema)) rules.push(...readRules(schema, fromSchema));
  }
  return rules;
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
  rules.push(...typeRules(schema, type));
  for (const iface of type.getInterfaces()) {
    const fromSchema = schema.getType(iface.name);
    const ifaceField = isInterfaceType(fromSchema) ? fromSchema.getFields()[fieldName] : undefined;
    if (ifaceField) rules.push(...readRules(schema, ifaceField));
  }
  return rules;
}

function readRules(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): AuthRule[] {
  return (getDirective(schema, node, AUTH_DIRECTIVE_NAME) ?? []).map((args) => ({
    requires: (args.requires as string[] | undefined) ?? [],
    anyOf: (args.anyOf as string[] | undefined) ?? [],
    ...(typeof args.ownedBy === 'string' && { ownedBy: args.ownedBy }),
    ...(args.mfa === true && { mfa: true }),
  }));
}
