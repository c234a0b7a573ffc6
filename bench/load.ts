import autocannon from 'autocannon';

export interface RoundResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

export interface LoadTarget {
  readonly url: string;
  readonly query: string;
  readonly token?: string;
}

export const CONNECTIONS = 32;
/** The authenticated query of B, R, K and C. */
export const ME_QUERY = '{ me { id } }';
/** Far above a login's time even queued behind eight others at cost 12: only a hung server reaches it. */
const LOGIN_TIMEOUT_MS = 30_000;

/** One autocannon round on loopback, bounded in time. Any non-2xx or error counts as a failure. */
export async function runRound(target: LoadTarget, seconds: number): Promise<RoundResult> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(target.token && { authorization: `Bearer ${target.token}` }) },
    body: JSON.stringify({ query: target.query }),
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** `{ me { id } }` with this token, as B, R, K and C send it. */
export const meLoad = (url: string, token: string): LoadTarget => ({ url, query: ME_QUERY, token });

/** Logs in as one bench user; the token B and C send. */
export async function loginToken(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }', variables: { u: username, p: password } }),
    signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: { login?: { accessToken: string } }; errors?: unknown };
  if (!body.data?.login) throw new Error(`bench login failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}

/**
 * Asks `{ me { id } }` once with this token and fails unless the answer is the token's
 * own user: every server compared must do the same work, and none answer null.
 */
export async function expectMe(url: string, token: string): Promise<void> {
  const { sub } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: ME_QUERY }),
    signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: { me?: { id: string } | null } };
  if (response.status !== 200 || body.data?.me?.id !== sub) throw new Error(`${url} answered me with ${response.status} ${JSON.stringify(body)}, not user ${sub}`);
}

export interface LoginStorm {
  /** Stops the storm and says how many logins succeeded per second while it ran. */
  stop(): Promise<{ readonly loginsPerSecond: number; readonly failures: number }>;
}

/** `concurrency` loops of logins (distinct users) until stopped. */
export function startLoginStorm(url: string, users: readonly string[], password: string, concurrency: number): LoginStorm {
  let running = true;
  let logins = 0;
  let failures = 0;
  const startedAt = Date.now();
  const loops = Array.from({ length: concurrency }, async (_, n) => {
    for (let i = n; running; i += concurrency) {
      try {
        await loginToken(url, users[i % users.length], password);
        logins += 1;
      } catch {
        failures += 1;
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { loginsPerSecond: logins / ((Date.now() - startedAt) / 1000), failures };
    },
  };
}
