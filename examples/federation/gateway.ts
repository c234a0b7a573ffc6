import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { type AuthContext, createAuthContext, type RequestAuthenticator } from '../../src/subgraph';

interface GatewayContext extends AuthContext {
  readonly authorization: string | undefined;
}

export interface GatewayOptions {
  readonly subgraphs: readonly { readonly name: string; readonly url: string }[];
  /** Gateway validation: refuse a bad or revoked token once, before any fan-out. Subgraphs still check. */
  readonly authenticate?: RequestAuthenticator;
  readonly port?: number;
}

export interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

/** Composes the subgraphs and forwards each request's Authorization header to them. */
export async function startGateway({ subgraphs, authenticate, port = 0 }: GatewayOptions): Promise<Gateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [...subgraphs] }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
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
    async context({ req }) {
      const auth = validate ? await validate({ req }) : { principal: undefined };
      return { ...auth, authorization: req.headers.authorization };
    },
  });
  return { url, stop: () => server.stop() };
}
