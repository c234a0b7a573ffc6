import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REFRESH_COOKIE_NAME } from '../../src/server/refresh-token-transport';
import { BROWSER_TEST_MS, launchChromium, pageProblems } from '../support/chromium';
import { clusterEnv } from '../support/test-env';
import { startStubServer, type StubServer } from '../support/stub-server';
import { startTestServer, type TestServer } from '../support/test-server';

const USERNAME = 'ada';
const PASSWORD = 'correct horse battery';

/**
 * The SPA's script: plain JavaScript, fetch with credentials: 'include', the access
 * token in memory only. Each step answers { status, body } or { networkError } (what
 * a CORS refusal looks like to a page: fetch rejects).
 */
const SPA_SCRIPT = `
const api = document.body.dataset.api;
let accessToken = null;

async function call(query, variables, withToken) {
  const headers = { 'content-type': 'application/json' };
  if (withToken && accessToken) headers.authorization = 'Bearer ' + accessToken;
  try {
    const response = await fetch(api, { method: 'POST', credentials: 'include', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { networkError: String(error) };
  }
}

function keepAccessToken(result, field) {
  const token = result.body && result.body.data && result.body.data[field] && result.body.data[field].accessToken;
  if (token) accessToken = token;
  return result;
}

window.spa = {
  login: async (username, password) => keepAccessToken(await call(
    'mutation Login($input: LoginInput!) { login(input: $input) { accessToken refreshToken session { id } } }',
    { input: { username, password } },
  ), 'login'),
  me: () => call('{ me { username } }', undefined, true),
  // Cookie mode: no refreshToken argument and no Authorization header; the HttpOnly cookie carries it.
  refresh: async () => keepAccessToken(await call('mutation { refresh { accessToken refreshToken session { id } } }'), 'refresh'),
  logout: () => call('mutation { logout }', undefined, true),
};
`;

interface StepResult {
  readonly status?: number;
  readonly networkError?: string;
  readonly body?: {
    readonly data?: Record<string, { accessToken?: string; refreshToken?: string | null; session?: { id: string } } | unknown> | null;
    readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
  };
}

interface SpaWindow {
  readonly spa: {
    login(username: string, password: string): Promise<StepResult>;
    me(): Promise<StepResult>;
    refresh(): Promise<StepResult>;
    logout(): Promise<StepResult>;
  };
  readonly document: { readonly cookie: string };
}

/**
 * An SPA on its own origin against the service with GraphiQL on, in cookie mode. The two
 * origins differ only in port on localhost: cross-origin (CORS applies) but same-site (the
 * SameSite=Strict cookie travels), as app.example.com and api.example.com are.
 */
describe('An SPA on another origin, in Chromium, against the service with GraphiQL on and the refresh cookie', () => {
  let spaServer: StubServer;
  let server: TestServer;
  let browser: Browser;
  let apiUrl: string;
  let spaOrigin: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    spaServer = await startStubServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><head><title>SPA</title></head><body data-api="${apiUrl}"><script src="/spa.js"></script></body></html>`);
      } else if (path === '/spa.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(SPA_SCRIPT);
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    });
    spaOrigin = `http://localhost:${new URL(spaServer.origin).port}`;
    server = await startTestServer(
      clusterEnv({
        NODE_ENV: 'development',
        GRAPHIQL: 'true',
        REFRESH_TOKEN_COOKIE: 'true',
        CORS_ORIGINS: spaOrigin,
        LOG_LEVEL: 'info',
      }),
      { logLines },
    );
    apiUrl = `http://localhost:${new URL(server.url).port}/graphql`;
    await server.deps.accounts.create({ username: USERNAME, password: PASSWORD });
    browser = await launchChromium();
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await spaServer?.stop();
  });

  /**
   * No context.route here: with request interception on, Playwright answers CORS
   * preflights itself, which would hide the very thing under test.
   */
  async function openSpa(): Promise<{ context: BrowserContext; page: Page; elsewhere: string[]; problems: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const problems = pageProblems(page);
    page.on('request', (request) => {
      const { origin } = new URL(request.url());
      if (origin !== spaOrigin && origin !== new URL(apiUrl).origin) elsewhere.push(request.url());
    });
    const navigation = await page.goto(`${spaOrigin}/`);
    expect(navigation?.status()).toBe(200);
    await page.waitForFunction(() => 'spa' in globalThis);
    return { context, page, elsewhere, problems };
  }

  async function refreshCookie(context: BrowserContext) {
    return (await context.cookies(apiUrl)).find((cookie) => cookie.name === REFRESH_COOKIE_NAME);
  }

  it('logs in, calls me, refreshes from the HttpOnly cookie alone, logs out, and cannot refresh after', async () => {
    const { context, page, elsewhere, problems } = await openSpa();
    try {
      const login = await page.evaluate(([username, password]) => (globalThis as unknown as SpaWindow).spa.login(username, password), [USERNAME, PASSWORD]);
      // A refused preflight: fetch rejects, and Chromium says why on the console.
      expect({ networkError: login.networkError, problems }).toEqual({ networkError: undefined, problems: [] });
      expect(login.status).toBe(200);
      expect(login.body?.errors).toBeUndefined();
      const loggedIn = login.body?.data?.login as { accessToken: string; refreshToken: string | null; session: { id: string } };
      expect(loggedIn.accessToken).toEqual(expect.any(String));
      expect(loggedIn.refreshToken).toBeNull();

      const cookie = await refreshCookie(context);
      expect(cookie).toMatchObject({ domain: 'localhost', path: '/graphql', httpOnly: true, secure: true, sameSite: 'Strict' });
      expect(cookie?.value).toMatch(/^rt1\./);
      // The page's scripts cannot read it.
      const pageCookies = await page.evaluate(() => (globalThis as unknown as SpaWindow).document.cookie);
      expect(pageCookies).not.toContain(REFRESH_COOKIE_NAME);
      expect(pageCookies).not.toContain(cookie?.value);

      const me = await page.evaluate(() => (globalThis as unknown as SpaWindow).spa.me());
      expect(me).toEqual({ status: 200, body: { data: { me: { username: USERNAME } } } });

      const refresh = await page.evaluate(() => (globalThis as unknown as SpaWindow).spa.refresh());
      expect(refresh.networkError).toBeUndefined();
      expect(refresh.body?.errors).toBeUndefined();
      const refreshed = refresh.body?.data?.refresh as { accessToken: string; refreshToken: string | null; session: { id: string } };
      expect(refreshed.refreshToken).toBeNull();
      expect(refreshed.session.id).toBe(loggedIn.session.id);
      expect(refreshed.accessToken).not.toBe(loggedIn.accessToken);
      const rotated = await refreshCookie(context);
      expect(rotated?.value).toMatch(/^rt1\./);
      expect(rotated?.value).not.toBe(cookie?.value);

      // me again, with the refreshed access token.
      expect(await page.evaluate(() => (globalThis as unknown as SpaWindow).spa.me())).toEqual({ status: 200, body: { data: { me: { username: USERNAME } } } });

      const logout = await page.evaluate(() => (globalThis as unknown as SpaWindow).spa.logout());
      expect(logout).toEqual({ status: 200, body: { data: { logout: true } } });
      expect(await refreshCookie(context)).toBeUndefined();

      const afterLogout = await page.evaluate(() => (globalThis as unknown as SpaWindow).spa.refresh());
      expect(afterLogout.networkError).toBeUndefined();
      expect(afterLogout.body?.data ?? null).toBeNull();
      expect(afterLogout.body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // And the session is over on the server, not just the cookie gone from the browser.
      const replayed = await server.call('mutation { refresh { accessToken } }', { headers: { cookie: `${REFRESH_COOKIE_NAME}=${rotated?.value}` } });
      expect(replayed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // Every credentialed call was preflighted, and the service answered the preflights itself.
      const preflights = logLines
        .map((line) => JSON.parse(line) as { msg?: string; method?: string; path?: string; status?: number })
        .filter((entry) => entry.msg === 'request' && entry.method === 'OPTIONS' && entry.path === '/graphql');
      expect(preflights.length).toBeGreaterThanOrEqual(1);
      expect(preflights.every((entry) => entry.status === 204)).toBe(true);
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  it('keeps the cookie from scripts even on the GraphiQL page, whose path it is sent to', async () => {
    const { context, page } = await openSpa();
    try {
      const login = await page.evaluate(([username, password]) => (globalThis as unknown as SpaWindow).spa.login(username, password), [USERNAME, PASSWORD]);
      expect(login.body?.errors).toBeUndefined();
      expect(await refreshCookie(context)).toBeDefined();
      // A cookie a script may see, on the same path: document.cookie works there, and shows only that one.
      await context.addCookies([{ name: 'visible', value: 'yes', url: apiUrl }]);

      const graphiql = await context.newPage();
      const navigation = await graphiql.goto(apiUrl);
      expect(navigation?.status()).toBe(200);
      expect(navigation?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(navigation?.headers()['access-control-allow-origin']).toBeUndefined();
      expect(await graphiql.evaluate(() => (globalThis as unknown as SpaWindow).document.cookie)).toBe('visible=yes');
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  it('refuses a page from an origin not in CORS_ORIGINS: its fetch fails, and no cookie is set', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The same SPA, reached by another name: a different origin (and site) that CORS_ORIGINS does not list.
      await page.goto(`${spaServer.origin}/`);
      await page.waitForFunction(() => 'spa' in globalThis);
      const login = await page.evaluate(([username, password]) => (globalThis as unknown as SpaWindow).spa.login(username, password), [USERNAME, PASSWORD]);
      expect(login.networkError).toMatch(/Failed to fetch/);
      expect(await refreshCookie(context)).toBeUndefined();
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);
});
