import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import {
  type AuthContext,
  authDirectiveTransformer,
  authSubgraphTypeDefs,
  closeRedisClient,
  createAuthContext,
  createRedisClient,
  createRepresentationCheck,
  createSubgraphAuthenticator,
  guardFederationFields,
} from '@graphql-auth-service/subgraph';
import { serveAsChild } from './child-protocol';

/**
 * A subgraph built with the kit as docs/subgraphs.md's quick start builds one (the same
 * calls, the same plugin and guard), answering `me` under `@auth` on the service's sessions.
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  ${authSubgraphTypeDefs}
  type Query { me: User @auth }
  type User { id: ID! }
`);

const resolvers = {
  Query: { me: (_: unknown, __: unknown, context: unknown) => ({ id: (context as AuthContext).principal?.userId }) },
};

const withAuth = authDirectiveTransformer(buildSubgraphSchema({ typeDefs, resolvers }), {
  principalOf: (context: AuthContext) => context.principal,
});
const schema = guardFederationFields(withAuth, { fromGateway: (context: AuthContext) => context.fromGateway });

serveAsChild(async () => {
  const env = process.env as Record<string, string>;
  const nodes = env.REDIS_CLUSTER_NODES.split(',').map((node) => {
    const [host, port] = node.split(':');
    return { host, port: Number(port) };
  });
  const redis = createRedisClient({ kind: 'cluster', nodes });
  await redis.connect();
  const authenticate = createSubgraphAuthenticator({
    issuer: env.JWT_ISSUER ?? 'graphql-auth-service',
    audience: env.JWT_AUDIENCE ?? 'graphql-api',
    keys: { secret: env.JWT_SECRET },
    sessions: { redis, keyPrefix: env.REDIS_KEY_PREFIX },
  });
  const server = new ApolloServer<AuthContext>({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), createRepresentationCheck(100)] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: createAuthContext(authenticate, { gatewaySecret: env.GATEWAY_SECRET }),
  });
  return { url, close: () => server.stop().finally(() => closeRedisClient(redis)) };
});
