import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_TEST_MS, launchChromium, pageProblems } from '../support/chromium';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const SCREENSHOT = join(__dirname, '..', '..', 'test-artifacts', 'graphiql-me.png');
const USERNAME = 'grace';
const PASSWORD = 'correct horse battery';
const RESULT_WAIT_MS = 15_000;
/** The Accept header a browser sends for a page it navigates to. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const SHOWN_TOOL_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const RESULT_EDITOR = '.result-window .CodeMirror';

/** GraphiQL 3 edits with CodeMirror 5, which hangs its instance on the editor's element. */
interface CodeMirrorElement {
  readonly CodeMirror: { getValue(): string; setValue(value: string): void };
}

interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests to anywhere but the test server: aborted, and there must be none. */
  readonly elsewhere: string[];
  /** Console errors (a CSP violation is one) and uncaught page errors. */
  readonly problems: string[];
}

describe('GraphiQL, served offline from the service itself', () => {
  let server: TestServer;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ GRAPHIQL: 'true' }));
    origin = new URL(server.url).origin;
    await server.deps.accounts.create({ username: USERNAME, password: PASSWORD });
    browser = await launchChromium();
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openBrowserSession(): Promise<BrowserSession> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    const elsewhere: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).host === new URL(origin).host) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(RESULT_WAIT_MS);
    const problems = pageProblems(page);
    return { context, page, elsewhere, problems };
  }

  it('logs in, sends the token from the headers tab, and shows me', async () => {
    const { context, page, elsewhere, problems } = await openBrowserSession();
    try {
      await openGraphiql(page, server.url);
      const defaultQuery = await editorValue(page, QUERY_EDITOR);
      expect(defaultQuery).toContain('mutation Login');
      expect(defaultQuery).toContain('login(input:');
      expect(defaultQuery).toContain('me {');
      expect(defaultQuery).toContain('{"Authorization": "Bearer <accessToken>"}');

      await setQuery(page, `mutation Login {\n  login(input: { username: "${USERNAME}", password: "${PASSWORD}" }) { accessToken }\n}`);
      const loginResult = await execute(page);
      const accessToken = (loginResult as { data?: { login?: { accessToken?: string } } }).data?.login?.accessToken;
      expect(typeof accessToken).toBe('string');
      await page.locator('.result-window').filter({ hasText: 'accessToken' }).waitFor();

      await page.getByRole('button', { name: 'Headers', exact: true }).click();
      await setEditorValue(page, SHOWN_TOOL_EDITOR, JSON.stringify({ Authorization: `Bearer ${accessToken}` }));
      await setQuery(page, '{ me { username } }');
      expect(await execute(page)).toEqual({ data: { me: { username: USERNAME } } });
      await page.locator('.result-window').filter({ hasText: USERNAME }).waitFor();

      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  it('loads every script and stylesheet from the service, under its CSP, and stores no headers', async () => {
    const { context, page, elsewhere, problems } = await openBrowserSession();
    try {
      const loaded: string[] = [];
      page.on('requestfinished', (request) => loaded.push(request.url()));
      await openGraphiql(page, server.url);
      await page.getByRole('button', { name: 'Headers', exact: true }).click();
      await setEditorValue(page, SHOWN_TOOL_EDITOR, '{"Authorization": "Bearer not-a-token"}');
      // An edit of the query after the header edit: once it is persisted, so would the header have been.
      await setQuery(page, '{ __typename }');
      const stored = await page.evaluate(() => {
        type KeyValueStorage = { length: number; key(index: number): string | null; getItem(key: string): string | null };
        const window = globalThis as unknown as Record<'localStorage' | 'sessionStorage', KeyValueStorage>;
        const entries = (storage: KeyValueStorage) =>
          Array.from({ length: storage.length }, (_, index) => storage.key(index) ?? '').map((key) => `${key}=${storage.getItem(key)}`);
        return { local: entries(window.localStorage), session: entries(window.sessionStorage) };
      });

      // GraphiQL keeps its tabs and history in sessionStorage: they die with the tab.
      expect(stored.local).toEqual([]);
      expect(stored.session.join('\n')).toContain('graphiql:');
      expect(stored.session.join('\n')).not.toContain('not-a-token');
      expect(loaded.length).toBeGreaterThanOrEqual(7);
      expect(loaded.filter((url) => new URL(url).origin !== origin)).toEqual([]);
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  it('redirects / to the GraphQL path', async () => {
    const response = await fetch(`${origin}/`, { redirect: 'manual', headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  it('serves the page with a strict CSP, and only same-origin assets with long-lived caching', async () => {
    const response = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('vary')).toMatch(/accept/i);

    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => new URL(url, server.url));
    expect(urls.map((url) => url.pathname)).toEqual(expect.arrayContaining([
      expect.stringMatching(/\/react\.production\.min\.js$/),
      expect.stringMatching(/\/react-dom\.production\.min\.js$/),
      expect.stringMatching(/\/graphiql\.min\.js$/),
      expect.stringMatching(/\/graphiql\.min\.css$/),
    ]));
    for (const url of urls) {
      expect(url.origin).toBe(origin);
      const asset = await fetch(url);
      expect({ url: url.pathname, status: asset.status }).toEqual({ url: url.pathname, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml); charset=utf-8$/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      await asset.arrayBuffer();
    }
  });

  it('answers an asset URL with a stale digest with 404', async () => {
    const response = await fetch(`${origin}/graphiql/assets/0000000000000000/graphiql.min.js`);
    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });

  it('leaves GET queries to Apollo: JSON, not the page', async () => {
    const url = new URL(server.url);
    url.searchParams.set('query', '{ __typename }');
    const response = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    // The API's own policy (nothing may load), not the page's.
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('does not take a client that accepts anything (curl) for a browser', async () => {
    const response = await fetch(server.url, { headers: { accept: '*/*' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await response.arrayBuffer();
  });
});

/** Navigates as a browser does (Accept: text/html) and waits for the editor; fails at once on any other page. */
async function openGraphiql(page: Page, url: string): Promise<void> {
  const navigation = await page.goto(url);
  expect(navigation?.status()).toBe(200);
  expect(navigation?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.locator(QUERY_EDITOR).waitFor();
}

async function editorValue(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((element) => (element as unknown as CodeMirrorElement).CodeMirror.getValue());
}

async function setEditorValue(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).evaluate((element, text) => (element as unknown as CodeMirrorElement).CodeMirror.setValue(text), value);
}

/**
 * GraphiQL takes in an edit after a debounce: ▶ clicked sooner runs the old text. It
 * persists the taken-in query to sessionStorage, so that is the signal to wait for.
 */
async function setQuery(page: Page, query: string): Promise<void> {
  await setEditorValue(page, QUERY_EDITOR, query);
  await page.waitForFunction(
    (text) => {
      const storage = (globalThis as unknown as { sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }).sessionStorage;
      return Array.from({ length: storage.length }, (_, i) => storage.getItem(storage.key(i) ?? '') ?? '').some((value) =>
        value.includes(JSON.stringify(text).slice(1, -1)),
      );
    },
    query,
    { timeout: 10_000 },
  );
}

/** Clicks ▶ and waits for the result pane to hold a new JSON answer. */
async function execute(page: Page): Promise<unknown> {
  const previousResult = await editorValue(page, RESULT_EDITOR);
  await page.locator('.graphiql-execute-button').click();
  const deadline = Date.now() + RESULT_WAIT_MS;
  for (;;) {
    const text = await editorValue(page, RESULT_EDITOR);
    if (text.trim() !== '' && text !== previousResult) {
      try {
        return JSON.parse(text);
      } catch {
        // Not complete yet.
      }
    }
    if (Date.now() > deadline) throw new Error(`no new result within ${RESULT_WAIT_MS} ms; the pane shows: ${text}`);
    await page.waitForTimeout(100);
  }
}
