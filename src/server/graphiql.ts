import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RequestHandler, Router } from 'express';
import Negotiator from 'negotiator';
import { type GraphiqlAsset, loadGraphiqlAssets } from './graphiql/assets';
import { CONTENT_SECURITY_POLICY, renderGraphiqlPage } from './graphiql/page';
import { type HeaderList, setHeaders } from './security-headers';

/** Asset URLs carry a digest of their content: a new version is a new URL. */
const ASSET_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;
const API_TYPES = ['application/json', 'application/graphql-response+json', 'text/html'];

export interface GraphiqlOptions {
  readonly graphqlPath: string;
}

/** The page on the GraphQL path, which the GraphQL endpoint hands browser navigations to. */
export interface GraphiqlPage {
  /**
   * A browser navigation, as Apollo decides for its own landing page: HTML preferred over
   * JSON (so `Accept: *\/*` from curl is not a browser), and no operation in the URL.
   */
  wants(req: IncomingMessage, search: URLSearchParams): boolean;
  /** Sends the page under `headers` (security and CORS), with its own looser CSP on top. */
  serve(res: ServerResponse, headers: HeaderList): void;
}

export interface Graphiql {
  readonly page: GraphiqlPage;
  /** `/` redirects to the page; the page's assets, from this process (no CDN). */
  readonly router: Router;
}

/**
 * GraphiQL on the GraphQL path itself, served entirely from this process: a browser
 * opening `graphqlPath` gets the page, and `/` redirects there. GraphQL GETs with
 * `?query=` and every POST still reach Apollo.
 */
export function createGraphiql({ graphqlPath }: GraphiqlOptions): Graphiql {
  const assets = loadGraphiqlAssets();
  const body = renderGraphiqlPage({ graphqlPath, assets });
  const router = Router();
  router.get('/', (_req, res) => res.redirect(302, graphqlPath));
  for (const asset of assets) router.get(asset.url, serveAsset(asset));
  return {
    router,
    page: {
      wants: (req, search) =>
        new Negotiator(req).mediaType(API_TYPES) === 'text/html' && !search.has('query') && !search.has('extensions'),
      serve(res, headers) {
        setHeaders(res, headers);
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
        res.setHeader('cache-control', 'no-cache');
        // The same URL answers JSON to API clients: caches must key on Accept as well as Origin.
        res.setHeader('vary', 'Origin, Accept');
        res.end(body);
      },
    },
  };
}

function serveAsset(asset: GraphiqlAsset): RequestHandler {
  return (_req, res, next) => {
    res.type(asset.contentType);
    if ('body' in asset.source) {
      res.set('cache-control', `public, max-age=${ASSET_MAX_AGE_MS / 1000}, immutable`).send(asset.source.body);
      return;
    }
    res.sendFile(asset.source.file, { maxAge: ASSET_MAX_AGE_MS, immutable: true }, (error) => {
      if (error) next(error);
    });
  };
}
