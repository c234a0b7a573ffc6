import { readFileSync } from 'node:fs';
import { loadAccountAssets } from '../../src/server/account-page/assets';
import { securityHeaderList } from '../../src/server/security-headers';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
];
const LONG_CACHE = 'public, max-age=31536000, immutable';
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

/** The directives of a Content-Security-Policy, in any order. */
function directivesOf(policy: string | null): string[] {
  return (policy ?? '').split(';').map((directive) => directive.trim().replace(/\s+/g, ' ')).filter(Boolean).sort();
}

/** Every URL in a src or href attribute, in document order. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map(([, url]) => url);
}

describe('the account page at GET /account', () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    origin = new URL(server.url).origin;
  });
  afterAll(() => server.close());

  it('is served as HTML under its own strict policy, the security headers, and no caching without asking', async () => {
    const response = await fetch(`${origin}/account`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(directivesOf(response.headers.get('content-security-policy'))).toEqual([...PAGE_POLICY].sort());
    for (const [name, value] of securityHeaderList()) {
      if (name === 'content-security-policy') continue;
      expect({ name, value: response.headers.get(name) }).toEqual({ name, value });
    }
    await response.arrayBuffer();
  });

  it('runs no inline code: no inline script or style, no event-handler or style attributes', async () => {
    const html = await (await fetch(`${origin}/account`)).text();
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThanOrEqual(2);
    for (const tag of scriptTags) expect(tag).toMatch(/\ssrc="[^"]+"/);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/javascript:|data:/i);
  });

  it('loads its icon, stylesheet and scripts (the QR code library first) from this origin, each with a digest in its URL and cached for good', async () => {
    const html = await (await fetch(`${origin}/account`)).text();
    const urls = referencedUrls(html).map((url) => new URL(url, `${origin}/account`));
    expect(urls.map((url) => url.pathname)).toEqual([
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account-icon\.svg$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account\.css$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/qrcode\.js$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account\.js$/),
    ]);
    for (const url of urls) {
      expect(url.origin).toBe(origin);
      const asset = await fetch(url);
      const extension = url.pathname.split('.').at(-1) ?? '';
      expect({ url: url.pathname, status: asset.status, type: asset.headers.get('content-type') }).toEqual({
        url: url.pathname,
        status: 200,
        type: CONTENT_TYPES[extension],
      });
      expect(asset.headers.get('cache-control')).toBe(LONG_CACHE);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      const body = Buffer.from(await asset.arrayBuffer());
      if (url.pathname.endsWith('/qrcode.js')) expect(body.equals(readFileSync(require.resolve('qrcode-generator')))).toBe(true);
      if (url.pathname.endsWith('/account.js')) expect(body.toString('utf8')).toMatch(/^\/\/ @ts-check\n'use strict';/);
    }
  });

  it('answers an asset URL with a stale digest with the JSON 404', async () => {
    const response = await fetch(`${origin}/account/assets/0000000000000000/account.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: 'not found' });
  });
});

describe('the account page with ACCOUNT_PAGE=false', () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ ACCOUNT_PAGE: 'false' }));
    origin = new URL(server.url).origin;
  });
  afterAll(() => server.close());

  it('is not served: GET /account is the JSON 404, under the API policy', async () => {
    const response = await fetch(`${origin}/account`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    expect(await response.json()).toEqual({ status: 'not found' });
  });

  it('serves none of its files either', async () => {
    for (const asset of loadAccountAssets()) {
      const response = await fetch(`${origin}${asset.url}`);
      expect({ url: asset.url, status: response.status }).toEqual({ url: asset.url, status: 404 });
      await response.arrayBuffer();
    }
  });
});
