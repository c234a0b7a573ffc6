import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ASSETS_PATH = '/account/assets';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';

/** One file the account page loads; `url` carries a digest of the content, so it may be cached for good. */
export interface AccountAsset {
  /** How the page's markup (account.html) refers to it. */
  readonly name: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * The page's files, read once. The QR code library comes from node_modules; the page's
 * own files sit beside this module, in the source tree and in the build alike
 * (`npm run build` copies them).
 */
export function loadAccountAssets(): readonly AccountAsset[] {
  return [
    // Without an icon of its own the browser asks for /favicon.ico, a 404.
    asset('account-icon.svg', readFileSync(join(__dirname, 'account-icon.svg')), SVG),
    asset('account.css', readFileSync(join(__dirname, 'account.css')), CSS),
    // The package's `require` export is its UMD file, which defines the global `qrcode`.
    asset('qrcode.js', readFileSync(require.resolve('qrcode-generator')), JAVASCRIPT),
    asset('account.js', readFileSync(join(__dirname, 'account.js')), JAVASCRIPT),
  ];
}

function asset(name: string, body: Buffer, contentType: string): AccountAsset {
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name, url: `${ASSETS_PATH}/${digest}/${name}`, contentType, body };
}
