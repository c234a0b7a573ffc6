import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountAsset } from './assets';

/**
 * Only this origin's own files and requests, no inline code or style of any kind, and
 * nothing else: the QR code is drawn as SVG elements, so images need no `data:` URLs.
 * `form-action 'none'`: every form is sent by the script, never by the browser (which
 * would put a password into a URL if the script failed to load).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * account.html with each of its files' plain names (`src="account.js"`) replaced by
 * their versioned URLs; the modules that the entry module imports are not named there.
 * A name the markup does not use exactly once is a mistake in the page: refused at
 * start-up rather than served as a broken page.
 */
export function renderAccountPage(assets: readonly AccountAsset[]): string {
  let html = readFileSync(join(__dirname, 'account.html'), 'utf8');
  for (const asset of assets) {
    if (asset.imported) continue;
    const reference = new RegExp(`(\\s(?:src|href)=)"${escapeRegExp(asset.name)}"`, 'g');
    const uses = html.match(reference)?.length ?? 0;
    if (uses !== 1) throw new Error(`account.html must refer to ${asset.name} exactly once, not ${uses} times`);
    html = html.replace(reference, `$1"${asset.url}"`);
  }
  return html;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
