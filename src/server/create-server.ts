import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import { authDirectiveTransformer } from '@graphql-auth-service/subgraph/auth/directive/auth-transformer';
import { buildAuthSubgraphSchema } from '../graphql/build-subgraph-schema';
import type { GraphQLContext } from '../graphql/context';
import { AuthResolver } from '../graphql/resolvers/auth-resolver';
import { PasskeyResolver } from '../graphql/resolvers/passkey-resolver';
import { SecondFactorResolver } from '../graphql/resolvers/second-factor-resolver';
import { SelfServiceResolver } from '../graphql/resolvers/self-service-resolver';
import { SessionResolver } from '../graphql/resolvers/session-resolver';
import { UserAdminResolver } from '../graphql/resolvers/user-admin-resolver';
import { createQueryLimitsRule } from '../graphql/limits/query-limits-rule';
import { createAccountPage } from './account-page';
import { createClientAddress } from './client-address';
import { createContextBuilder } from './context-builder';
import type { AppDependencies } from './dependencies';
import { createErrorFormatter } from './format-error';
import { createCorsPolicy } from './cors';
import { createGraphiql } from './graphiql';
import { createGraphqlEndpoint } from './graphql-endpoint';
import { createHttpErrorHandler } from './http-error-handler';
import { createJwksRoute, JWKS_PATH } from './jwks-route';
import { createGatewayVerifier } from '@graphql-auth-service/subgraph/federation/gateway-signature';
import { guardFederationFields } from '@graphql-auth-service/subgraph/federation/federation-fields-guard';
import { createRepresentationCheck } from '@graphql-auth-service/subgraph/limits/representation-check';
import { startMetricsListener, type MetricsListener } from '../observability/metrics-listener';
import { createMetricsRoute, createOpsRouter, METRICS_PATH } from '../observability/ops-routes';
import { createRequestLog, requestLogMiddleware } from '../observability/request-logging';
import { createSecurityHeaders, securityHeaderList } from './security-headers';

const MAX_BODY_BYTES = 100 * 1024;
/** Mutations that check a password or a one-time code (each a guess to count): one per operation. */
const CREDENTIAL_FIELDS = ['login', 'changePassword', 'createUser', 'signUp', 'resetPassword', 'changeEmail', 'confirmTotp', 'disableTotp'];
export const GRAPHQL_PATH = '/graphql';

export interface AuthServer {
  /** Serves the GraphQL path itself and hands every other path to an express app. */
  readonly httpServer: Server;
  /**
   * Starts listening (and the metrics listener when METRICS_PORT is set); port 0 picks
   * a free one. Returns the URL of the GraphQL endpoint.
   */
  listen(port: number, host: string): Promise<string>;
  /** Where /metrics is served on its own listener, once listening; undefined without METRICS_PORT. */
  readonly metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** Builds the HTTP app from its parts, wired top to bottom in this one place. */
export async function createServer(deps: AppDependencies): Promise<AuthServer> {
  const app = express();
  app.disable('x-powered-by');
  // Answers are per caller or immutable assets: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  // Its request listener is attached below, once the GraphQL endpoint is built.
  const httpServer = createHttpServer();
  const limits = deps.config.graphql;
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildEnforcedSchema(deps),
    formatError: createErrorFormatter(deps.logger),
    includeStacktraceInErrorResponses: false,
    // Shutdown is the embedding program's (main.ts): Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    introspection: limits.introspection,
    // Without introspection, "Did you mean …?" suggestions would leak the schema field by field.
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [createQueryLimitsRule({ ...limits, credentialFields: CREDENTIAL_FIELDS })],
    allowBatchedHttpRequests: limits.maxBatch > 1,
    logger: deps.logger,
    // Federation traces would carry resolver error details to the gateway: off.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing here is cacheable by a CDN: the cache hints would wrap every resolver for a header no one reads.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's own landing page would load Apollo Sandbox from a CDN; ours is GraphiQL, served locally.
      ApolloServerPluginLandingPageDisabled(),
      createRepresentationCheck(limits.maxRepresentations),
    ],
  });
  await apollo.start();

  const { environment, http, federation } = deps.config;
  const requestLog = createRequestLog(deps.logger);
  const securityHeaders = securityHeaderList();
  const graphiql = http.graphiql ? createGraphiql({ graphqlPath: GRAPHQL_PATH }) : undefined;
  const graphqlEndpoint = createGraphqlEndpoint({
    apollo,
    buildContext: createContextBuilder(deps.authenticate, {
      refreshTokenCookie: http.refreshTokenCookie,
      graphqlPath: GRAPHQL_PATH,
      clock: deps.clock,
      clientAddress: createClientAddress(http.trustProxy),
      fromGateway: federation.gatewaySecret === undefined ? undefined : createGatewayVerifier(federation.gatewaySecret, () => deps.clock.now()),
    }),
    requestLog,
    securityHeaders,
    cors: createCorsPolicy(http.corsOrigins),
    graphiql: graphiql?.page,
    maxBodyBytes: MAX_BODY_BYTES,
    maxBatch: limits.maxBatch,
    logger: deps.logger,
  });

  // The GraphQL path bypasses express (see graphql-endpoint.ts); every other path is express's.
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isGraphqlPath(req.url)) graphqlEndpoint(req, res);
    else app(req, res);
  });
  app.use(requestLogMiddleware(requestLog));
  app.use(createSecurityHeaders(securityHeaders));
  app.use(createOpsRouter(deps.checkReadiness));
  // In production metrics leave only through METRICS_PORT: their labels say why tokens fail.
  if (http.metricsPort === undefined && environment !== 'production') app.get(METRICS_PATH, createMetricsRoute(deps.metrics));
  app.get(JWKS_PATH, createJwksRoute(deps.keyRing));
  if (graphiql) app.use(graphiql.router);
  if (http.accountPage) app.use(createAccountPage());
  app.use(answerNotFound);
  app.use(createHttpErrorHandler(deps.logger));

  let metricsListener: MetricsListener | undefined;
  return {
    httpServer,
    get metricsUrl() {
      return metricsListener?.url;
    },
    async listen(port, host) {
      if (http.metricsPort !== undefined) metricsListener = await startMetricsListener(deps.metrics, http.metricsPort, host);
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const { port: bound } = httpServer.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shownHost}:${bound}${GRAPHQL_PATH}`);
        });
      });
    },
    async close() {
      await metricsListener?.close();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** The GraphQL path exactly, with or without a query string. */
function isGraphqlPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(GRAPHQL_PATH) && (url.length === GRAPHQL_PATH.length || url[GRAPHQL_PATH.length] === '?');
}

/** Any other path: a JSON 404 under the same security headers (express's own page would replace them). */
const answerNotFound: express.RequestHandler = (_req, res) => {
  res.status(404).json({ status: 'not found' });
};

function buildEnforcedSchema(deps: AppDependencies): GraphQLSchema {
  const resolvers = new Map<unknown, unknown>([
    [AuthResolver, new AuthResolver({ login: deps.login, refresh: deps.refresh, accounts: deps.accounts, sessions: deps.sessions })],
    [SessionResolver, new SessionResolver(deps.sessions)],
    [UserAdminResolver, new UserAdminResolver(deps.accounts)],
    [SelfServiceResolver, new SelfServiceResolver(deps.selfService)],
    [SecondFactorResolver, new SecondFactorResolver({ authenticatorApp: deps.authenticatorApp, store: deps.secondFactorStore })],
    [PasskeyResolver, new PasskeyResolver({ registration: deps.passkeyRegistration, assertion: deps.passkeyAssertion, login: deps.loginWithPasskey })],
  ]);
  const container: ContainerType = { get: (resolverClass) => resolvers.get(resolverClass) };
  const schema = buildAuthSubgraphSchema({ container, findUser: (id) => deps.accounts.findById(id) });
  const enforced = authDirectiveTransformer(schema, {
    principalOf: (context: GraphQLContext) => context.principal,
    mfaForAuthorities: deps.config.secondFactors.requireMfaFor,
  });
  const { gatewaySecret } = deps.config.federation;
  return guardFederationFields(enforced, {
    fromGateway: (context: GraphQLContext) => context.fromGateway,
    guard: {
      // Without a gateway secret, entities are guarded by @auth alone.
      entities: gatewaySecret !== undefined,
      // The SDL is introspection by another name: off where introspection is, unless the gateway proves itself.
      service: gatewaySecret !== undefined || !deps.config.graphql.introspection,
    },
  });
}
