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
  createRepresentationCheck,
  guardFederationFields,
  type RequestAuthenticator,
} from '@graphql-auth-service/subgraph';

/**
 * An SDL-first subgraph adopting `@auth`: the kit's type defs, its transformer, its
 * context. `Order` is an entity, so the gateway (or anyone who can reach this
 * subgraph) can ask for it by id through `_entities`, around every Query field: its
 * rule sits on the type, where it holds on every path. `paymentCard` adds a step-up:
 * the type's rule and a second factor in the caller's session.
 */
export const ordersTypeDefs = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])

${authSubgraphTypeDefs}

type Query {
  "The caller's orders."
  orders: [Order!]! @auth(requires: ["orders:read"])
  "One order by id: its owner's, or anyone's for ROLE_ADMIN."
  order(id: ID!): Order @auth(requires: ["orders:read"])
}

type Order @key(fields: "id") @auth(ownedBy: "ownerId", anyOf: ["ROLE_ADMIN"]) {
  id: ID!
  item: String!
  total: Float!
  "The card it was paid with, masked. Only a session that used a second factor sees it."
  paymentCard: String @auth(mfa: true)
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
  readonly paymentCard: string;
  readonly ownerId: string;
}

const SAMPLE_ITEMS = [
  { item: 'Keyboard', total: 79.5, paymentCard: 'Visa ending 4242' },
  { item: 'Monitor', total: 249, paymentCard: 'Mastercard ending 5100' },
];

/** Two sample orders per user, `<user id>-1` and `<user id>-2`: the example needs no database. */
function ordersOf(userId: string): Order[] {
  return SAMPLE_ITEMS.map((sample, index) => ({ id: `${userId}-${index + 1}`, ...sample, ownerId: userId }));
}

function findOrder(id: unknown): Order | null {
  if (typeof id !== 'string') return null;
  const match = /^(.+)-(\d)$/.exec(id);
  return (match && ordersOf(match[1]).find((order) => order.id === id)) ?? null;
}

export interface OrdersSubgraphOptions {
  readonly authenticate: RequestAuthenticator;
  /** The secret the gateway signs with: `_entities` and `_service` answer only to it. */
  readonly gatewaySecret: string;
  readonly port?: number;
}

export interface OrdersSubgraph {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startOrdersSubgraph({ authenticate, gatewaySecret, port = 0 }: OrdersSubgraphOptions): Promise<OrdersSubgraph> {
  const subgraph = buildSubgraphSchema({
    typeDefs: parse(ordersTypeDefs),
    resolvers: {
      Query: {
        orders: (_source: unknown, _args: unknown, context: unknown) => ordersOf((context as AuthContext).principal?.userId ?? ''),
        order: (_source: unknown, args: { id: string }) => findOrder(args.id),
      },
      Order: {
        __resolveReference: (reference: { id?: unknown }) => findOrder(reference.id),
        owner: (order: unknown) => ({ __typename: 'User', id: (order as Order).ownerId }),
      },
    },
  });
  const withAuth = authDirectiveTransformer(subgraph, { principalOf: (context: AuthContext) => context.principal });
  const schema = guardFederationFields(withAuth, { fromGateway: (context: AuthContext) => context.fromGateway });
  const server = new ApolloServer<AuthContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), createRepresentationCheck(100)],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: createAuthContext(authenticate, { gatewaySecret }),
  });
  return { url, stop: () => server.stop() };
}
