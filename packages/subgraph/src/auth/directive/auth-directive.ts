import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';

export const AUTH_DIRECTIVE_NAME = 'auth';

const DESCRIPTION =
  'Guards a field or every field of a type. No arguments: any authenticated caller. ' +
  '`requires`: every listed authority. `anyOf`: at least one of them. ' +
  "`ownedBy`: the property of the parent object that holds its owner's user id; the owner passes, " +
  'and so does a caller holding the listed authorities, if any are listed. ' +
  '`mfa`: the caller\'s session also used a second factor (a one-time code or a passkey).';

/** The directive's definition, identical in this service and in every subgraph that imports it. */
export const authDirective = new GraphQLDirective({
  name: AUTH_DIRECTIVE_NAME,
  description: DESCRIPTION,
  locations: [DirectiveLocation.OBJECT, DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.INTERFACE],
  args: {
    requires: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), defaultValue: [] },
    anyOf: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), defaultValue: [] },
    ownedBy: { type: GraphQLString },
    mfa: { type: GraphQLBoolean, defaultValue: false },
  },
});

export const authDirectiveTypeDefs = `"""${DESCRIPTION}"""
directive @auth(requires: [String!] = [], anyOf: [String!] = [], ownedBy: String, mfa: Boolean = false) on OBJECT | FIELD_DEFINITION | INTERFACE`;
