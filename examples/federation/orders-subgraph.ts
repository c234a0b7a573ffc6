import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import {
  type AuthContext,
  authDirectiveTransformer,
  authSubgraphTypeDefs,
  createAuthContext,
  type RequestAuthenticator,
} from '../../src/subgraph';

/** An SDL-first subgraph adopting `@auth`: the kit's type defs, its transformer, its context. */
export const ordersTypeDefs = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])

${authSubgraphTypeDefs}

type Query {
  "The caller's orders."
  orders: [Order!]! @auth(requires: ["orders:read"])
}

type Order @key(fields: "id") {
  id: ID!
  item: String!
  total: Float!
  "Resolved by the auth subgraph."
  owner: User!
}

type User @key(fields: "id", resolvable: false) {
  id: ID!
}
`;

interface Order {
  readonly id: string;
  readonly item: string;
  readonly total: number;
  readonly ownerId: string;
}

/** Two sample orders per caller: the example needs no database. */
function ordersOf(userId: string): Order[] {
  return [
    { id: `${userId}-1`, item: 'Keyboard', total: 79.5, ownerId: userId },
    { id: `${userId}-2`, item: 'Monitor', total: 249, ownerId: userId },
  ];
}

export interface OrdersSubgraph {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startOrdersSubgraph(authenticate: RequestAuthenticator, port = 0): Promise<OrdersSubgraph> {
  const schema = authDirectiveTransformer(
    buildSubgraphSchema({
      typeDefs: parse(ordersTypeDefs),
      resolvers: {
        Query: {
          orders: (_source: unknown, _args: unknown, context: unknown) =>
            ordersOf((context as AuthContext).principal?.userId ?? ''),
        },
        Order: { owner: (order: unknown) => ({ __typename: 'User', id: (order as Order).ownerId }) },
      },
    }),
    { principalOf: (context: AuthContext) => context.principal },
  );
  const server = new ApolloServer<AuthContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: createAuthContext(authenticate),
  });
  return { url, stop: () => server.stop() };
}
