import { login, type LoginData } from '../../support/graphql-caller';
import type { Env } from '../../support/test-env';
import { startTestServer, type TestServer } from '../../support/test-server';
import { type JsonObject, nowSeconds, randomJti } from './forge';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A real server on the test cluster and a real user logged in to it: what forgeries are aimed at. */
export interface Target {
  readonly server: TestServer;
  readonly victim: LoginData;
  readonly credentials: Credentials;
}

export async function startTarget(env: Env, credentials: Credentials): Promise<Target> {
  const server = await startTestServer(env);
  try {
    await server.deps.accounts.create({ ...credentials, authorities: ['orders:read'] });
    const victim = await login(server.call, credentials.username, credentials.password);
    return { server, victim, credentials };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The claims the server itself would issue for the victim's live session. */
export function liveClaims(target: Target): JsonObject {
  const now = nowSeconds();
  return {
    iss: target.server.config.jwt.issuer,
    aud: target.server.config.jwt.audience,
    sub: target.victim.user.id,
    sid: target.victim.session.id,
    jti: randomJti(),
    iat: now,
    exp: now + 600,
    auth: target.victim.user.authorities,
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: {
    readonly data?: unknown;
    readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
  };
}

const ME = '{ me { username } }';

/** `{ me }` with exactly this Authorization header, over fetch. */
export async function sendMe(url: string, authorization: string): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: ME }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as RawResponse['body'] };
}

/** The credential part of the header: what must never be echoed back. */
export function credentialOf(authorization: string): string {
  const space = authorization.indexOf(' ');
  return space === -1 ? '' : authorization.slice(space + 1);
}

/** 401 UNAUTHENTICATED with a Bearer challenge, no data, and nothing of the user, the token or the server's insides. */
export function expectRefused(response: RawResponse, target: Target, authorization: string): void {
  expect(response.status).toBe(401);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.data ?? null).toBeNull();
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  expect(response.text).not.toContain(target.victim.user.id);
  expect(response.text).not.toContain(target.credentials.username);
  const credential = credentialOf(authorization);
  if (credential.length > 0) expect(response.text).not.toContain(credential);
  expectNoInternals(response.text);
}

export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat \S[^"]*:\d+:\d+/);
  expect(text).not.toMatch(/stacktrace|node_modules|\.ts:\d+/i);
}

export function expectAccepted(response: RawResponse, target: Target): void {
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ data: { me: { username: target.credentials.username } } });
}
