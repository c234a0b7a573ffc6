import { type Request, type RequestHandler, Router } from 'express';
import { type GraphiqlAsset, loadGraphiqlAssets } from './graphiql/assets';
import { CONTENT_SECURITY_POLICY, renderGraphiqlPage } from './graphiql/page';

/** Asset URLs carry a digest of their content: a new version is a new URL. */
const ASSET_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

export interface GraphiqlOptions {
  readonly graphqlPath: string;
}

/**
 * GraphiQL on the GraphQL path itself, served entirely from this process (no CDN):
 * a browser opening `graphqlPath` gets the page, and `/` redirects there. Everything
 * else falls through, so GraphQL GETs with `?query=` and every POST still reach Apollo.
 */
export function createGraphiqlRouter({ graphqlPath }: GraphiqlOptions): Router {
  const assets = loadGraphiqlAssets();
  const page = renderGraphiqlPage({ graphqlPath, assets });
  const router = Router();

  router.get('/', (_req, res) => res.redirect(302, graphqlPath));
  router.get(graphqlPath, (req, res, next) => {
    if (!wantsPage(req)) return next();
    res
      .set({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-cache',
      })
      // The same URL answers JSON to API clients: caches must key on Accept (added to CORS's Vary: Origin, not replacing it).
      .vary('Accept')
      .send(page);
  });
  for (const asset of assets) router.get(asset.url, serveAsset(asset));
  return router;
}

/**
 * A browser navigation, as Apollo decides for its own landing page: HTML preferred over
 * JSON (so `Accept: *\/*` from curl is not a browser), and no operation in the URL.
 */
function wantsPage(req: Request): boolean {
  const preferred = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']);
  return preferred === 'text/html' && req.query.query === undefined && req.query.extensions === undefined;
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
