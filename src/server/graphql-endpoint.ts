import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../graphql/context';
import type { RequestLog } from '../observability/request-logging';
import { checkBatchLimit } from './batch-limit';
import type { ContextBuilder } from './context-builder';
import type { CorsPolicy } from './cors';
import type { GraphiqlPage } from './graphiql';
import { type ErrorAnswer, errorAnswerOf } from './http-error-handler';
import { createJsonBodyReader } from './json-body';
import type { HeaderList } from './security-headers';

export interface GraphqlEndpointOptions {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly buildContext: ContextBuilder;
  readonly requestLog: RequestLog;
  readonly securityHeaders: HeaderList;
  readonly cors: CorsPolicy;
  /** The GraphiQL page for browser navigations; undefined when GRAPHIQL is off. */
  readonly graphiql: GraphiqlPage | undefined;
  readonly maxBodyBytes: number;
  readonly maxBatch: number;
  readonly logger: Logger;
}

/** Handles one request on the GraphQL path. */
export type GraphqlEndpoint = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The GraphQL path, served by Apollo's own HTTP handling on Node's request and
 * response, with no framework between: the same work as express routing, body-parser,
 * helmet and cors did on this path, but with every header list computed at start-up
 * and nothing decided twice. Preflights, the GraphiQL page, body and batch limits are
 * answered here; everything else is Apollo's (CSRF prevention included).
 */
export function createGraphqlEndpoint(options: GraphqlEndpointOptions): GraphqlEndpoint {
  const { apollo, buildContext, requestLog, securityHeaders, cors, graphiql, maxBodyBytes, maxBatch, logger } = options;
  // Security and CORS headers together, flattened once per CORS answer (one per listed origin, one for the rest).
  const readJsonBody = createJsonBodyReader(maxBodyBytes);
  const prefixes = new WeakMap<HeaderList, readonly string[]>();
  const headPrefix = (corsHeaders: HeaderList): readonly string[] => {
    let prefix = prefixes.get(corsHeaders);
    if (!prefix) prefixes.set(corsHeaders, (prefix = [...securityHeaders, ...corsHeaders].flat()));
    return prefix;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestLog(req, res);
    if (req.method === 'OPTIONS') return cors.answerPreflight(req, res, [...securityHeaders, ['x-request-id', requestId]]);
    const corsHeaders = cors.headersFor(req.headers.origin);
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const search = queryAt === -1 ? '' : url.slice(queryAt);
    const method = req.method ?? 'GET';
    if (graphiql && (method === 'GET' || method === 'HEAD') && graphiql.wants(req, new URLSearchParams(search))) {
      return graphiql.serve(res, [...securityHeaders, ...corsHeaders, ['x-request-id', requestId]]);
    }
    const head = headPrefix(corsHeaders).concat('x-request-id', requestId);
    let body: unknown;
    try {
      body = method === 'POST' ? await readJsonBody(req) : undefined;
      checkBatchLimit(body, maxBatch);
    } catch (error) {
      // Refused before its body was read (too large, say): the connection ends with the answer,
      // rather than read what is left of a body no one will use.
      if (!req.complete) head.push('connection', 'close');
      return sendError(res, head, errorAnswerOf(error, logger));
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers: headerMapOf(req), search, body },
      context: () => buildContext({ req, body, res }),
    });
    await send(res, head, response);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        logger.error({ err: error }, 'GraphQL response failed after its headers were sent');
        res.destroy();
        return;
      }
      sendError(res, [...headPrefix(cors.headersFor(req.headers.origin))], errorAnswerOf(error, logger));
    });
  };
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function send(res: ServerResponse, head: string[], response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) head.push(name, value);
  res.writeHead(response.status ?? 200, head);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function sendError(res: ServerResponse, head: string[], { status, body }: ErrorAnswer): void {
  head.push('content-type', JSON_CONTENT_TYPE);
  res.writeHead(status, head);
  res.end(JSON.stringify(body));
}
