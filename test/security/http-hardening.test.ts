import { randomBytes } from 'node:crypto';
import { clusterEnv, type Env } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

/** The production settings the configuration insists on, besides JWT_SECRET (clusterEnv gives it). */
const productionEnv = (overrides: Env = {}): Env =>
  clusterEnv({ NODE_ENV: 'production', SERVER_SECRET: randomBytes(32).toString('base64url'), ...overrides });

/** `/metrics` on the API's own port, where an attacker reaches it. */
const apiMetricsUrl = (server: TestServer): string => new URL('/metrics', server.url).toString();

async function get(url: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Where METRICS_PORT put the metrics listener; fails the test plainly when it put none. */
function metricsUrlOf(server: TestServer): string {
  if (server.metricsUrl === undefined) throw new Error('METRICS_PORT is set but the server reports no metrics listener (metricsUrl)');
  return server.metricsUrl;
}

/** What Prometheus scrapes: the service's own series, in the text format. */
function expectPrometheusText(response: { status: number; text: string }): void {
  expect(response.status).toBe(200);
  expect(response.text).toContain('# TYPE auth_logins_total counter');
  expect(response.text).toContain('auth_store_operation_duration_seconds');
}

/** Metrics must not leak on the API port: no series, no process details. */
function expectNoMetrics(response: { status: number; text: string }): void {
  expect(response.status).toBe(404);
  expect(response.text).not.toContain('auth_logins_total');
  expect(response.text).not.toContain('process_cpu');
  expect(response.text).not.toContain('nodejs_');
}

describe('/metrics is kept off the API port (hole 4)', () => {
  it('answers 404 on the API port in production without METRICS_PORT (metrics nowhere); test and development still serve it there', async () => {
    const server = await startTestServer(productionEnv());
    try {
      expectNoMetrics(await get(apiMetricsUrl(server)));
      expectNoMetrics(await get(`${apiMetricsUrl(server)}?format=text`));
      expect(server.metricsUrl).toBeUndefined();
    } finally {
      await server.close();
    }

    for (const environment of ['test', 'development']) {
      const outside = await startTestServer(clusterEnv({ NODE_ENV: environment, GRAPHIQL: 'false' }));
      try {
        expectPrometheusText(await get(apiMetricsUrl(outside)));
      } finally {
        await outside.close();
      }
    }
  });

  it('serves metrics on the METRICS_PORT listener in production, and still 404 on the API port', async () => {
    const server = await startTestServer(productionEnv({ METRICS_PORT: '0' }));
    try {
      expectNoMetrics(await get(apiMetricsUrl(server)));
      const metricsUrl = metricsUrlOf(server);
      expect(metricsUrl).toMatch(/^http:\/\/[^/]+:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
      expectPrometheusText(await get(metricsUrl));
    } finally {
      await server.close();
    }
  });

  it('serves only metrics on the metrics listener: no GraphQL, no JWKS there', async () => {
    const server = await startTestServer(productionEnv({ METRICS_PORT: '0' }));
    try {
      const metricsOrigin = new URL(metricsUrlOf(server)).origin;
      const graphql = await fetch(`${metricsOrigin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(graphql.status).toBe(404);
      expect(await graphql.text()).not.toContain('__typename');
      expect((await get(`${metricsOrigin}/.well-known/jwks.json`)).status).toBe(404);
      expectPrometheusText(await get(`${metricsOrigin}/metrics`));
    } finally {
      await server.close();
    }
  });

  it('moves metrics to METRICS_PORT outside production too, off the API port', async () => {
    const server = await startTestServer(clusterEnv({ METRICS_PORT: '0' }));
    try {
      expectPrometheusText(await get(metricsUrlOf(server)));
      expectNoMetrics(await get(apiMetricsUrl(server)));
    } finally {
      await server.close();
    }
  });
});

interface SecurityHeaders {
  readonly label: string;
  readonly xContentTypeOptions: string | null;
  readonly cspDefaultSrcNone: boolean;
  readonly cspFrameAncestorsNone: boolean;
  readonly referrerPolicy: string | null;
}

function securityHeadersOf(label: string, headers: Headers): SecurityHeaders {
  const csp = headers.get('content-security-policy') ?? '';
  const directives = csp.split(';').map((directive) => directive.trim().replace(/\s+/g, ' '));
  return {
    label,
    xContentTypeOptions: headers.get('x-content-type-options'),
    cspDefaultSrcNone: directives.includes("default-src 'none'"),
    cspFrameAncestorsNone: directives.includes("frame-ancestors 'none'"),
    referrerPolicy: headers.get('referrer-policy'),
  };
}

const hardened = (label: string): SecurityHeaders => ({
  label,
  xContentTypeOptions: 'nosniff',
  cspDefaultSrcNone: true,
  cspFrameAncestorsNone: true,
  referrerPolicy: 'no-referrer',
});

const postJson = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** One request per kind of answer the API port gives: success, GraphQL errors, HTTP errors, ops routes. */
async function probeEveryKindOfAnswer(server: TestServer): Promise<{ label: string; status: number; headers: Headers }[]> {
  const origin = new URL(server.url).origin;
  const probes: [string, () => Promise<Response>][] = [
    ['POST /graphql success', () => postJson(server.url, JSON.stringify({ query: '{ __typename }' }))],
    ['POST /graphql validation error', () => postJson(server.url, JSON.stringify({ query: '{ nope }' }))],
    ['POST /graphql resolver error', () => postJson(server.url, JSON.stringify({ query: '{ sessions { id } }' }))],
    ['POST /graphql bad token', () => postJson(server.url, JSON.stringify({ query: '{ me { id } }' }), { authorization: 'Bearer not.a.token' })],
    ['POST /graphql malformed JSON', () => postJson(server.url, '{"query": ')],
    ['POST /graphql body too large', () => postJson(server.url, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(110 * 1024) } }))],
    ['GET /graphql without CSRF header', () => fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`)],
    ['GET /healthz', () => fetch(`${origin}/healthz`)],
    ['GET /readyz', () => fetch(`${origin}/readyz`)],
    ['GET /.well-known/jwks.json', () => fetch(`${origin}/.well-known/jwks.json`)],
    ['GET /no-such-path', () => fetch(`${origin}/no-such-path`)],
  ];
  const answers: { label: string; status: number; headers: Headers }[] = [];
  for (const [label, probe] of probes) {
    const response = await probe();
    await response.arrayBuffer();
    answers.push({ label, status: response.status, headers: response.headers });
  }
  return answers;
}

describe('every API response carries the security headers (hole 4)', () => {
  it.each([
    ['NODE_ENV=test', () => clusterEnv()],
    ['NODE_ENV=production', () => productionEnv({ METRICS_PORT: '0' })],
  ])('sends nosniff, a deny-all CSP with frame-ancestors none and no-referrer (%s)', async (_name, env) => {
    const server = await startTestServer(env());
    try {
      const answers = await probeEveryKindOfAnswer(server);
      // The probes really hit each path: a success, 4xx errors of several kinds, the ops routes.
      expect(Object.fromEntries(answers.map(({ label, status }) => [label, status]))).toMatchObject({
        'POST /graphql success': 200,
        'POST /graphql validation error': 400,
        'POST /graphql bad token': 401,
        'POST /graphql malformed JSON': 400,
        'POST /graphql body too large': 413,
        'GET /graphql without CSRF header': 400,
        'GET /healthz': 200,
        'GET /.well-known/jwks.json': 200,
        'GET /no-such-path': 404,
      });
      expect(answers.map(({ label, headers }) => securityHeadersOf(label, headers))).toEqual(answers.map(({ label }) => hardened(label)));
    } finally {
      await server.close();
    }
  });

  it('keeps the headers on /metrics when the API port still serves it (development without METRICS_PORT)', async () => {
    const server = await startTestServer(clusterEnv({ NODE_ENV: 'development', GRAPHIQL: 'false' }));
    try {
      const response = await fetch(apiMetricsUrl(server));
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(securityHeadersOf('GET /metrics', response.headers)).toEqual(hardened('GET /metrics'));
    } finally {
      await server.close();
    }
  });
});
