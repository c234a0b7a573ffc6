import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { type AuthContext, createAuthContext, gatewaySignatureHeaders, type RequestAuthenticator } from '@graphql-auth-service/subgraph';

interface GatewayContext {
  readonly principal?: AuthContext['principal'];
  readonly authorization?: string;
}

export interface GatewayOptions {
  readonly subgraphs: readonly { readonly name: string; readonly url: string }[];
  /** Signs every subgraph request (GATEWAY_SECRET): the subgraphs answer `_entities` and `_service` only to it. */
  readonly gatewaySecret: string;
  /** Gateway validation: refuse a bad or revoked token once, before any fan-out. Subgraphs still check. */
  readonly authenticate?: RequestAuthenticator;
  readonly port?: number;
}

export interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

/** Composes the subgraphs, forwards each request's Authorization header to them, and signs what it sends. */
export async function startGateway({ subgraphs, gatewaySecret, authenticate, port = 0 }: GatewayOptions): Promise<Gateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [...subgraphs] }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          const signature = gatewaySignatureHeaders(gatewaySecret, request);
          for (const [name, value] of Object.entries(signature)) request.http?.headers.set(name, value);
        },
      }),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
  });
  const validate = authenticate ? createAuthContext(authenticate) : undefined;
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    async context({ req }): Promise<GatewayContext> {
      const principal = validate ? (await validate({ req })).principal : undefined;
      return { principal, authorization: req.headers.authorization };
    },
  });
  return { url, stop: () => server.stop() };
}
