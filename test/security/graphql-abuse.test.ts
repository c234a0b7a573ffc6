import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as RawResponse['body'] };
}

const firstError = (response: RawResponse) => response.body.errors?.[0];

function expectLimit(response: RawResponse, limit: string, max: number): void {
  expect(response.status).toBe(400);
  expect(response.body.data ?? null).toBeNull();
  expect(firstError(response)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit, max });
  expect(response.text).not.toMatch(/stacktrace|node_modules|\.ts:\d+/i);
}

const LOGIN_FIELD = (alias: string) => `${alias}: login(input: { username: "alice", password: "correct horse battery" }) { accessToken }`;

describe('GraphQL abuse is refused with a clear code before anything runs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_ALIASES: '10', GRAPHQL_MAX_COST: '200' }));
    await server.deps.accounts.create({ username: 'alice', password: 'correct horse battery', authorities: [] });
  });
  afterAll(() => server.close());

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH', async () => {
    const deep = `{ __type(name: "User") { fields { type ${'{ ofType '.repeat(12)}{ name }${' }'.repeat(12)} } } }`;
    const response = await post(server.url, { query: deep });
    expectLimit(response, 'maxDepth', 8);
    expect(firstError(response)?.extensions?.actual).toBe(16);
    expect(firstError(response)?.message).toBe('The operation is nested 16 levels deep; the limit is 8');
  });

  it('counts depth through fragments and inline fragments', async () => {
    const query = `query Deep { __type(name: "User") { ...A } }
      fragment A on __Type { fields { type { ... on __Type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }`;
    expectLimit(await post(server.url, { query }), 'maxDepth', 8);
  });

  it('refuses an alias bomb', async () => {
    const query = `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const response = await post(server.url, { query });
    expectLimit(response, 'maxAliases', 10);
    expect(firstError(response)?.extensions?.actual).toBe(150);
  });

  it('counts aliases inside a fragment each time it is spread', async () => {
    const query = `{ me { ...F ...G } } fragment F on User { a: id b: id c: id d: id e: id f: id } fragment G on User { ...F }`;
    expectLimit(await post(server.url, { query }), 'maxAliases', 10);
  });

  it('refuses a fragment bomb by its expanded size (2^24 fields), measured without expanding it', async () => {
    const levels = 25;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on User { id }` : `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`,
    );
    const response = await post(server.url, { query: `{ me { ...F0 } } ${fragments.join(' ')}` });
    expectLimit(response, 'maxCost', 200);
    expect(firstError(response)?.extensions?.actual).toBe(1 + 2 ** (levels - 1));
  });

  it('refuses a JSON batch of 1,000 logins without running any', async () => {
    const batch = Array.from({ length: 1000 }, () => ({ query: 'mutation{login(input:{username:"alice",password:"guess"}){accessToken}}' }));
    const response = await post(server.url, batch);
    expectLimit(response, 'maxBatch', 1);
    expect(firstError(response)?.message).toBe('Batched requests are off on this server; send one operation per request');
    expect(await server.deps.sessions.list((await server.deps.accounts.findByUsername('alice'))!.id)).toEqual([]);
  });

  it('refuses 1,000 aliased logins in one document at the parser (too many tokens)', async () => {
    const query = `mutation { ${Array.from({ length: 1000 }, (_, i) => LOGIN_FIELD(`l${i}`)).join(' ')} }`;
    const response = await post(server.url, { query });
    expect(response.status).toBe(400);
    expect(firstError(response)?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(firstError(response)?.message).toMatch(/2000 tokens/);
  });

  it('allows one password check per operation: two aliased logins are refused', async () => {
    const response = await post(server.url, { query: `mutation { ${LOGIN_FIELD('a')} ${LOGIN_FIELD('b')} }` });
    expectLimit(response, 'maxCredentialChecks', 1);
    const single = await post(server.url, { query: `mutation { ${LOGIN_FIELD('a')} }` });
    expect(single.body.errors).toBeUndefined();
  });

  it('answers a body over 100 kB with 413 in GraphQL error shape', async () => {
    const response = await post(server.url, { query: `{ __typename }`, variables: { pad: 'x'.repeat(110 * 1024) } });
    expect(response.status).toBe(413);
    expect(firstError(response)).toEqual({ message: 'Request body is too large', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers malformed JSON with 400 in GraphQL error shape, no stack trace', async () => {
    const response = await post(server.url, '{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    expect(firstError(response)).toEqual({ message: 'Malformed request body', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('still answers ordinary queries, including the standard introspection query outside production', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const deepEnough = await startTestServer(clusterEnv());
    try {
      const response = await post(deepEnough.url, { query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }) });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    } finally {
      await deepEnough.close();
    }
  });
});

const PRODUCTION_SERVER_SECRET = 'a-server-secret-of-at-least-thirty-two-bytes';

describe('production defaults', () => {
  let production: TestServer;

  beforeAll(async () => {
    production = await startTestServer(clusterEnv({ NODE_ENV: 'production', SERVER_SECRET: PRODUCTION_SERVER_SECRET }));
  });
  afterAll(() => production.close());

  it('turns introspection off', async () => {
    const response = await post(production.url, { query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(firstError(response)?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.data ?? null).toBeNull();
  });

  it('does not suggest field names, which would leak the schema one guess at a time', async () => {
    const response = await post(production.url, { query: '{ mee { username } }' });
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/did you mean/i);
    expect(response.text).not.toMatch(/stacktrace/i);
  });

  it('serves no GraphiQL page to a browser', async () => {
    const response = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('keeps CSRF prevention on: a GET query without a preflight-forcing header is refused', async () => {
    const response = await fetch(`${production.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('turns introspection on only when GRAPHQL_INTROSPECTION=true says so', async () => {
    const open = await startTestServer(clusterEnv({ NODE_ENV: 'production', SERVER_SECRET: PRODUCTION_SERVER_SECRET, GRAPHQL_INTROSPECTION: 'true' }));
    try {
      const response = await post(open.url, { query: '{ __schema { queryType { name } } }' });
      expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await open.close();
    }
  });
});
