import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Where the page's own files sit: its modules are all the `.js` files there. */
const ACCOUNT_PAGE_SOURCE = join(__dirname, '..', '..', 'src', 'server', 'account-page');

/** The directives of a Content-Security-Policy, in any order. */
function directivesOf(policy: string | null): string[] {
  return (policy ?? '').split(';').map((directive) => directive.trim().replace(/\s+/g, ' ')).filter(Boolean).sort();
}

/** Every URL in a src or href attribute, in document order. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map(([, url]) => url);
}

/** What an `import … from '…'`, `export … from '…'` or `import '…'` statement names. */
function importSpecifiers(source: string): string[] {
  const statements = /^(?:(?:import|export)\s[^;'"]*?\bfrom\s*|import\s*)['"]([^'"]+)['"]/gm;
  return [...source.matchAll(statements)].map(([, specifier]) => specifier);
}

function directoryOf(url: URL): string {
  return url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

/** One of the page's files: 200, its type, cached for good, never sniffed. */
async function fetchAsset(url: URL): Promise<Buffer> {
  const asset = await fetch(url);
  const extension = url.pathname.split('.').at(-1) ?? '';
  expect({ url: url.pathname, status: asset.status, type: asset.headers.get('content-type') }).toEqual({
    url: url.pathname,
    status: 200,
    type: CONTENT_TYPES[extension],
  });
  expect({ url: url.pathname, cache: asset.headers.get('cache-control') }).toEqual({ url: url.pathname, cache: LONG_CACHE });
  expect({ url: url.pathname, nosniff: asset.headers.get('x-content-type-options') }).toEqual({ url: url.pathname, nosniff: 'nosniff' });
  return Buffer.from(await asset.arrayBuffer());
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

  it('loads its icon, stylesheet and scripts (the QR code library first) from this origin, its own files from one directory, each with a digest in its URL and cached for good', async () => {
    const html = await (await fetch(`${origin}/account`)).text();
    const urls = referencedUrls(html).map((url) => new URL(url, `${origin}/account`));
    expect(urls.map((url) => url.pathname)).toEqual([
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account-icon\.svg$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account\.css$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/qrcode\.js$/),
      expect.stringMatching(/^\/account\/assets\/[0-9a-f]{16}\/account\.js$/),
    ]);
    const [icon, css, , entry] = urls;
    expect([directoryOf(css), directoryOf(entry)]).toEqual([directoryOf(icon), directoryOf(icon)]);
    expect(html).toContain(`<script type="module" src="${entry.pathname}"></script>`);
    for (const url of urls) {
      expect(url.origin).toBe(origin);
      const body = await fetchAsset(url);
      if (url.pathname.endsWith('/qrcode.js')) expect(body.equals(readFileSync(require.resolve('qrcode-generator')))).toBe(true);
    }
  });

  it('serves every module the entry module imports, directly or not, beside it: each .js file of the page\'s source', async () => {
    const html = await (await fetch(`${origin}/account`)).text();
    const entry = new URL(referencedUrls(html).find((url) => url.endsWith('/account.js')) ?? '', `${origin}/account`);
    const loaded = new Set<string>();
    const pending = [entry];
    for (let url = pending.pop(); url !== undefined; url = pending.pop()) {
      if (loaded.has(url.pathname)) continue;
      loaded.add(url.pathname);
      expect({ url: url.pathname, directory: directoryOf(url) }).toEqual({ url: url.pathname, directory: directoryOf(entry) });
      const name = url.pathname.slice(directoryOf(url).length);
      const body = await fetchAsset(url);
      expect({ name, asInSource: body.equals(readFileSync(join(ACCOUNT_PAGE_SOURCE, name))) }).toEqual({ name, asInSource: true });
      // As the browser does: each import resolved against the URL of the module that makes it.
      pending.push(...importSpecifiers(body.toString('utf8')).map((specifier) => new URL(specifier, url)));
    }
    const names = [...loaded].map((path) => path.slice(path.lastIndexOf('/') + 1)).sort();
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(readdirSync(ACCOUNT_PAGE_SOURCE).filter((name) => name.endsWith('.js')).sort());
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
