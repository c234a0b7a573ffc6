import { DirectiveLocation, GraphQLDirective, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';

export const AUTH_DIRECTIVE_NAME = 'auth';

/** The directive's definition, identical in this service and in every subgraph that imports it. */
export const authDirective = new GraphQLDirective({
  name: AUTH_DIRECTIVE_NAME,
  description:
    'Guards a field or every field of a type. No arguments: any authenticated caller. ' +
    '`requires`: every listed authority. `anyOf`: at least one of them.',
  locations: [DirectiveLocation.OBJECT, DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.INTERFACE],
  args: {
    requires: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), defaultValue: [] },
    anyOf: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), defaultValue: [] },
  },
});

export const authDirectiveTypeDefs = `directive @auth(requires: [String!] = [], anyOf: [String!] = []) on OBJECT | FIELD_DEFINITION | INTERFACE`;
