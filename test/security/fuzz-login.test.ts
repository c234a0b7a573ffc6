import fc from 'fast-check';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { expectNoInternals } from './support/target';

/**
 * Random credentials and random shapes of the login input against a real server:
 * never a 5xx, never a token, and only the codes a client is told to expect. A
 * brute-force lockout may answer RATE_LIMITED (HTTP 429) once the fuzzing has
 * failed often enough: that is a refusal too.
 */

const RUNS = 150;
const ACCOUNT = { username: 'fuzz-login-user', password: 'correct horse battery staple' };
/** Never named by the fuzzing, so the lockout the fuzzing earns ACCOUNT cannot touch it. */
const CONTROL = { username: 'fuzz-login-control', password: 'another correct horse battery' };
const LOGIN = 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }';
const ACCEPTABLE_CODES = [
  'UNAUTHENTICATED',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
];

interface LoginAnswer {
  readonly status: number;
  readonly text: string;
  readonly body: {
    readonly data?: { readonly login?: unknown } | null;
    readonly errors?: readonly { readonly extensions?: { readonly code?: string } }[];
  };
}

async function post(url: string, body: unknown): Promise<LoginAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as LoginAnswer['body'] };
}

/** The codes of one refusal, checked and returned, so a property can tell which paths it reached. */
function expectRefusedLogin(answer: LoginAnswer): string[] {
  expect(answer.status).toBeLessThan(500);
  expect(answer.body.data?.login ?? null).toBeNull();
  expect(answer.text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  expect(answer.text).not.toContain('rt1.');
  expect(answer.body.errors?.length).toBeGreaterThan(0);
  const codes = (answer.body.errors ?? []).map((error) => String(error.extensions?.code));
  for (const code of codes) expect(ACCEPTABLE_CODES).toContain(code);
  expectNoInternals(answer.text);
  return codes;
}

/** Text of every kind a login form, a script or an attacker sends. */
const credential = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }),
  fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code)), maxLength: 16 }),
  fc.string({ minLength: 1_000, maxLength: 2_000 }),
  fc.constant(''),
  fc.constantFrom(ACCOUNT.username, ACCOUNT.username.toUpperCase(), ` ${ACCOUNT.username}`, `${ACCOUNT.username}\0`),
);

/** Anything where `input` goes: wrong types, missing or extra fields, nesting. */
const inputShape = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    { username: fc.jsonValue({ maxDepth: 2 }), password: fc.jsonValue({ maxDepth: 2 }) },
    { requiredKeys: [] },
  ),
  fc.record({
    username: fc.constant(ACCOUNT.username),
    password: fc.jsonValue({ maxDepth: 2 }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

describe('random logins never get a 5xx or a token', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Every request comes from 127.0.0.1: with the default per-address lockout (20 failures) the
    // fuzzing would soon meet only RATE_LIMITED. The per-username lockout stays as configured.
    server = await startTestServer(clusterEnv({ BRUTE_FORCE_IP_FAILURE_FACTOR: '100000' }));
    await server.deps.accounts.create(ACCOUNT);
    await server.deps.accounts.create(CONTROL);
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses random usernames and passwords, huge, empty, unicode or full of control characters', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(credential, credential, async (username, password) => {
        fc.pre(!(username === ACCOUNT.username && password === ACCOUNT.password));
        const answer = await post(server.url, { query: LOGIN, variables: { input: { username, password } } });
        const codes = expectRefusedLogin(answer);
        for (const code of codes) seen.add(code);
      }),
      { numRuns: RUNS },
    );
    // The fuzzing reached the password check and the input checks, not only the lockout.
    expect(seen).toContain('UNAUTHENTICATED');
    expect(seen).toContain('BAD_USER_INPUT');
  });

  it('refuses random JSON where the input object goes', async () => {
    await fc.assert(
      fc.asyncProperty(inputShape, async (input) => {
        expectRefusedLogin(await post(server.url, { query: LOGIN, variables: { input } }));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses random JSON as the whole variables member', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (variables) => {
        expectRefusedLogin(await post(server.url, { query: LOGIN, variables }));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses random credentials written into the document as GraphQL string literals', async () => {
    await fc.assert(
      fc.asyncProperty(credential, credential, async (username, password) => {
        fc.pre(!(username === ACCOUNT.username && password === ACCOUNT.password));
        // JSON string syntax is GraphQL string syntax, but for escapes GraphQL refuses (a parse error is a refusal too).
        const input = `{ username: ${JSON.stringify(username)}, password: ${JSON.stringify(password)} }`;
        const query = `mutation { login(input: ${input}) { accessToken } }`;
        expectRefusedLogin(await post(server.url, { query }));
      }),
      { numRuns: RUNS },
    );
  });

  it('still logs a real account in (the control: the refusals above were not an outage)', async () => {
    const answer = await post(server.url, { query: LOGIN, variables: { input: CONTROL } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data?.login as { accessToken?: unknown } | null)?.accessToken).toMatch(/^eyJ/);
  });
});
