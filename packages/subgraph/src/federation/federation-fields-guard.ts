import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { ForbiddenError } from '../errors';

export const GATEWAY_PROOF_REQUIRED = 'GATEWAY_PROOF_REQUIRED';

export interface FederationFieldsGuardOptions<TContext> {
  /** Whether this request carried the gateway's proof (see createGatewayVerifier). */
  readonly fromGateway: (context: TContext) => boolean;
  /** Which of the federation fields need it; both by default. */
  readonly guard?: { readonly entities?: boolean; readonly service?: boolean };
}

/**
 * Makes `_entities` (entities by id, around every Query field) and `_service` (the
 * whole SDL, introspection by another name) answer only to the gateway. Checked when
 * the field runs, so no alias or fragment gets around it.
 */
export function guardFederationFields<TContext>(schema: GraphQLSchema, options: FederationFieldsGuardOptions<TContext>): GraphQLSchema {
  const guarded = new Set<string>();
  if (options.guard?.entities ?? true) guarded.add('_entities');
  if (options.guard?.service ?? true) guarded.add('_service');
  const queryType = schema.getQueryType()?.name;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      if (typeName !== queryType || !guarded.has(fieldName)) return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(source, args, context: TContext, info) {
          if (!options.fromGateway(context)) {
            throw new ForbiddenError(`${fieldName} answers only to the gateway`, { details: { reason: GATEWAY_PROOF_REQUIRED } });
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
