import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const APP_ORIGIN = 'https://app.example.test';
const OTHER_ORIGIN = 'https://evil.example.test';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** What Chromium sends before an SPA's credentialed JSON POST with a bearer token. */
function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
}

// GraphiQL shares the GraphQL path: with it on, CORS must still answer there first.
describe.each([
  { graphiql: 'true', name: 'GraphiQL on' },
  { graphiql: 'false', name: 'GraphiQL off' },
])('CORS on the GraphQL path, $name', ({ graphiql }) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ GRAPHIQL: graphiql, REFRESH_TOKEN_COOKIE: 'true', CORS_ORIGINS: APP_ORIGIN }));
  });
  afterAll(() => server.close());

  it('answers a preflight from the allowed origin with 204 and the CORS allow headers', async () => {
    const response = await preflight(server.url, APP_ORIGIN);
    expect({
      status: response.status,
      allow: response.headers.get('allow'),
      allowOrigin: response.headers.get('access-control-allow-origin'),
      allowCredentials: response.headers.get('access-control-allow-credentials'),
    }).toEqual({ status: 204, allow: null, allowOrigin: APP_ORIGIN, allowCredentials: 'true' });
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['content-type', 'authorization']),
    );
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(await response.text()).toBe('');
  });

  it('gives a preflight from any other origin no CORS allow headers, and answers it before GraphiQL or Apollo', async () => {
    const response = await preflight(server.url, OTHER_ORIGIN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(await response.text()).toBe('');
  });

  it('lets the allowed origin read the POST that follows the preflight', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { origin: APP_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves a browser navigation to the GraphQL path as before (the page with its CSP, or JSON without GraphiQL)', async () => {
    const response = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
    const csp = response.headers.get('content-security-policy') ?? '';
    if (graphiql === 'true') {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(csp).toContain("script-src 'self'");
      expect(response.headers.get('vary')).toMatch(/accept/i);
      expect(response.headers.get('vary')).toMatch(/origin/i);
    } else {
      expect(response.headers.get('content-type')).not.toMatch(/^text\/html/);
      expect(csp).not.toContain('script-src');
    }
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await response.arrayBuffer();
  });
});
