import { authDirectiveTypeDefs } from './auth-directive';

/** The spec `@auth` is imported from; `@composeDirective` keeps it through composition. */
export const AUTH_SPEC_URL = 'https://specs.graphql-auth-service.dev/auth/v1.2';

/**
 * What a subgraph adds to its SDL to use `@auth`: the directive's definition, its
 * `@link`, and `@composeDirective` so the supergraph keeps it. The subgraph's own
 * federation `@link` must import `@composeDirective`.
 */
export const authSubgraphTypeDefs = `extend schema
  @link(url: "${AUTH_SPEC_URL}", import: ["@auth"])
  @composeDirective(name: "@auth")

${authDirectiveTypeDefs}
`;
