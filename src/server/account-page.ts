import { type RequestHandler, Router } from 'express';
import { type AccountAsset, loadAccountAssets } from './account-page/assets';
import { CONTENT_SECURITY_POLICY, renderAccountPage } from './account-page/page';

export const ACCOUNT_PAGE_PATH = '/account';

/** Asset URLs carry a digest of their content: a new version is a new URL. */
const ASSET_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * The self-service account page at GET /account: a plain page whose script signs in
 * against this origin's GraphQL endpoint and manages the user's sessions, second
 * factors and password. Its files are read once, here, and served from memory under
 * the recorded security headers, with the page's own strict policy on top.
 */
export function createAccountPage(): Router {
  const assets = loadAccountAssets();
  const page = Buffer.from(renderAccountPage(assets));
  const router = Router();
  router.get(ACCOUNT_PAGE_PATH, (_req, res) => {
    res.set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': 'no-cache',
    });
    res.send(page);
  });
  for (const asset of assets) router.get(asset.url, serveAsset(asset));
  return router;
}

function serveAsset(asset: AccountAsset): RequestHandler {
  return (_req, res) => {
    res.set({ 'content-type': asset.contentType, 'cache-control': `public, max-age=${ASSET_MAX_AGE_SECONDS}, immutable` });
    res.send(asset.body);
  };
}
