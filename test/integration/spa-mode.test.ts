import { clusterEnv } from '../support/test-env';
import { LOGIN } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const APP_ORIGIN = 'https://app.example.test';
const REFRESH = `mutation { refresh { accessToken refreshToken session { id } } }`;

/** The refresh cookie from a Set-Cookie header, as a browser would store it. */
function refreshCookie(headers: Headers): { value: string; attributes: string[] } {
  const line = headers.getSetCookie().find((cookie) => cookie.startsWith('__Secure-refresh-token='));
  if (!line) throw new Error(`no refresh cookie in ${JSON.stringify(headers.getSetCookie())}`);
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { value: pair.slice(pair.indexOf('=') + 1), attributes };
}

describe('SPA mode: the refresh token as an HttpOnly cookie, CORS for the allowed origin only', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ REFRESH_TOKEN_COOKIE: 'true', CORS_ORIGINS: APP_ORIGIN }));
    await server.deps.accounts.create({ username: 'rosa', password: PASSWORD });
  });
  afterAll(() => server.close());

  async function loginWithCookie() {
    return server.call(LOGIN, { variables: { input: { username: 'rosa', password: PASSWORD } } });
  }

  it('sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on the GraphQL path, not in the body', async () => {
    const response = await loginWithCookie();
    expect(response.data?.login.refreshToken).toBeNull();
    const cookie = refreshCookie(response.headers);
    expect(cookie.value).toMatch(/^rt1\./);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/graphql']));
    const maxAge = Number(cookie.attributes.find((attribute) => attribute.startsWith('Max-Age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(7 * 86_400 - 60);
    expect(maxAge).toBeLessThanOrEqual(7 * 86_400);
  });

  it('refreshes from the cookie, rotates the cookie, and logout clears it', async () => {
    const loggedIn = await loginWithCookie();
    const first = refreshCookie(loggedIn.headers).value;

    const refreshed = await server.call(REFRESH, { headers: { cookie: `__Secure-refresh-token=${first}` } });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data?.refresh.refreshToken).toBeNull();
    expect(refreshed.data?.refresh.session.id).toBe(loggedIn.data?.login.session.id);
    const second = refreshCookie(refreshed.headers).value;
    expect(second).not.toBe(first);

    const loggedOut = await server.call(`mutation { logout }`, { token: refreshed.data?.refresh.accessToken });
    expect(loggedOut.data).toEqual({ logout: true });
    const cleared = refreshCookie(loggedOut.headers);
    expect(cleared.value).toBe('');
    expect(cleared.attributes).toContain('Max-Age=0');

    const afterLogout = await server.call(REFRESH, { headers: { cookie: `__Secure-refresh-token=${second}` } });
    expect(afterLogout.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers UNAUTHENTICATED, not a crash, when the cookie is missing', async () => {
    const response = await server.call(REFRESH);
    expect(response.errors?.[0]).toMatchObject({ message: 'No refresh token: log in again', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('answers a preflight from the allowed origin with credentials allowed', async () => {
    const response = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('gives a refused origin no CORS headers, so the browser withholds every response', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const post = await server.call(`{ __typename }`, { headers: { origin: 'https://evil.example.test' } });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps Apollo CSRF prevention on: a simple GET without a preflight-forcing header is refused', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: APP_ORIGIN } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });
});
