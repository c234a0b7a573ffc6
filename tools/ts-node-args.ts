/**
 * How the repository runs TypeScript without a build, as `npm start` and the other
 * scripts in package.json do: ts-node, and the workspace packages read from their
 * sources through the `graphql-auth-service-source` export condition.
 */
export const TS_NODE_ARGS: readonly string[] = ['--conditions=graphql-auth-service-source', '-r', 'ts-node/register/transpile-only'];
