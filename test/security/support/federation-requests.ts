import type { Registry } from 'prom-client';

/** What a client (or a gateway) POSTs: the fields a gateway signature covers. */
export interface GraphQLBody {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

export interface ResponseError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

export interface GraphQLHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response data by path
    readonly data?: Record<string, any> | null;
    readonly errors?: readonly ResponseError[];
  };
}

/**
 * POSTs one operation over real HTTP exactly as given: an object is sent as
 * `JSON.stringify(body)` (what a gateway signs), a string as raw JSON text.
 */
export async function postGraphQL(
  url: string,
  body: GraphQLBody | string,
  headers: Record<string, string> = {},
): Promise<GraphQLHttpResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLHttpResponse['body'];
  try {
    parsed = JSON.parse(text) as GraphQLHttpResponse['body'];
  } catch {
    throw new Error(`not a JSON answer (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** `_entities` over the variable `$r`, the way a gateway sends it. */
export const entitiesQuery = (selection: string): string =>
  `query Entities($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;

export const entitiesBody = (selection: string, representations: readonly unknown[]): GraphQLBody => ({
  query: entitiesQuery(selection),
  variables: { r: representations },
});

export const userRef = (id: unknown): Record<string, unknown> => ({ __typename: 'User', id });

export const SERVICE_SDL: GraphQLBody = { query: '{ _service { sdl } }' };

export const codesOf = (response: GraphQLHttpResponse): (string | undefined)[] =>
  (response.body.errors ?? []).map((error) => error.extensions?.code);

export const pathsOf = (response: GraphQLHttpResponse): string[] =>
  (response.body.errors ?? []).map((error) => (error.path ?? []).join('.')).sort();

/** Nothing that betrays the server's insides: no stack frame, no source path. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat \S[^"]*:\d+:\d+/);
  expect(text).not.toMatch(/stacktrace|node_modules|\.ts:\d+/i);
}

/** The refusal `_entities` and `_service` give a request without the gateway's proof. */
export function expectGatewayProofRequired(response: GraphQLHttpResponse): void {
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors?.length ?? 0).toBeGreaterThan(0);
  expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_PROOF_REQUIRED' });
  expect(response.text).not.toContain('sdl":"');
  expectNoInternals(response.text);
}

/** What an attacker sees of a refusal, as one value, so a table of attempts shows which one got through. */
export function gatewayOutcome(label: string, response: GraphQLHttpResponse): unknown {
  return { label, serverFault: response.status >= 500, data: response.body.data ?? null, refusal: response.body.errors?.[0]?.extensions ?? null };
}

/** `gatewayOutcome` of a request refused for want of the gateway's proof. */
export const refusedForWantOfProof = (label: string): unknown => ({
  label,
  serverFault: false,
  data: null,
  refusal: expect.objectContaining({ code: 'FORBIDDEN', reason: 'GATEWAY_PROOF_REQUIRED' }),
});

/** Every entry of `_entities` null, with one error of `code` for each. */
export function expectEveryEntryRefused(
  response: GraphQLHttpResponse,
  field: string,
  entries: number,
  code: 'UNAUTHENTICATED' | 'FORBIDDEN',
): void {
  expect(response.body.data?.[field]).toEqual(Array.from({ length: entries }, () => null));
  expect(codesOf(response)).toEqual(Array.from({ length: entries }, () => code));
  expect(pathsOf(response)).toEqual(Array.from({ length: entries }, (_, i) => `${field}.${i}`).sort());
  expectNoInternals(response.text);
}

/** Log lines (pino JSON) written since `from`, at `level` or above: 50 is error, 60 fatal. */
export function logLinesAtOrAbove(lines: readonly string[], from: number, level: number): string[] {
  return lines.slice(from).filter((line) => {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'number' && parsed.level >= level;
  });
}

/**
 * How many operations a store has run, from the service's own latency histogram
 * (each is one Redis command or script): a request that reads no user leaves it as it was.
 */
export async function storeOperations(registry: Registry, store: string): Promise<number> {
  const metric = registry.getSingleMetric('auth_store_operation_duration_seconds');
  if (!metric) throw new Error('auth_store_operation_duration_seconds is not registered');
  // A histogram's values carry the name of the series each one belongs to (_bucket, _sum, _count).
  const values = (await metric.get()).values as readonly { value: number; labels: Record<string, unknown>; metricName?: string }[];
  return values
    .filter((value) => value.metricName?.endsWith('_count') === true && value.labels.store === store)
    .reduce((sum, value) => sum + value.value, 0);
}
