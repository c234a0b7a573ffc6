import { ManualClock } from '../support/manual-clock';
import { type GraphQLCaller, type GraphQLResponse } from '../support/graphql-caller';
import { clusterEnv, keysWithPrefix } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const LOGIN = `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`;
const PASSWORD = 'correct horse battery staple';
const MINUTE = 60_000;

type LoginResponse = GraphQLResponse<{ login: { accessToken: string } }>;

function attempt(call: GraphQLCaller, username: string, password: string, headers: Record<string, string> = {}): Promise<LoginResponse> {
  return call(LOGIN, { variables: { u: username, p: password }, headers });
}

const codeOf = (response: LoginResponse) => response.errors?.[0]?.extensions?.code;

/** Everything a client could compare between two lockouts, minus the seconds left. */
function lockoutShape(response: LoginResponse) {
  const [error] = response.errors ?? [];
  return { status: response.status, message: error?.message, extensionKeys: Object.keys(error?.extensions ?? {}).sort(), data: response.data };
}

describe('brute-force protection spanning two instances on the cluster', () => {
  const clock = new ManualClock(Date.now());
  let first: TestServer;
  let second: TestServer;
  let keyPrefix: string;
  let userNumber = 0;

  /** A fresh account per test, so counters never carry over. */
  async function newUser(): Promise<string> {
    userNumber += 1;
    const username = `victim${userNumber}`;
    await first.deps.accounts.create({ username, password: PASSWORD, authorities: [] });
    return username;
  }

  /** Each test comes from an address of its own (the instances trust the loopback proxy). */
  const fromAddress = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });

  async function failTimes(username: string, times: number, headers: Record<string, string>): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      const response = await attempt(i % 2 === 0 ? first.call : second.call, username, 'wrong password', headers);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
    }
  }

  beforeAll(async () => {
    const env = clusterEnv({
      BRUTE_FORCE_FAILURE_FACTOR: '5',
      BRUTE_FORCE_IP_FAILURE_FACTOR: '12',
      BRUTE_FORCE_WAIT_INCREMENT: '1m',
      BRUTE_FORCE_MAX_WAIT: '10m',
      TRUST_PROXY: 'loopback',
    });
    keyPrefix = env.REDIS_KEY_PREFIX;
    first = await startTestServer(env, { clock });
    second = await startTestServer(env, { clock });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('locks a username after five failures spread over both instances: even the right password gets 429 with Retry-After', async () => {
    const username = await newUser();
    await failTimes(username, 5, fromAddress(1));

    const locked = await attempt(second.call, username, PASSWORD, fromAddress(1));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.data ?? null).toBeNull();
    expect(locked.errors?.[0]).toMatchObject({
      message: 'Too many failed login attempts; try again later',
      extensions: { code: 'RATE_LIMITED', retryAfter: 60 },
    });
    // Another address does not get around a username's lock.
    expect(codeOf(await attempt(first.call, username, PASSWORD, fromAddress(2)))).toBe('RATE_LIMITED');

    clock.advance(MINUTE);
    const after = await attempt(first.call, username, PASSWORD, fromAddress(1));
    expect(after.errors).toBeUndefined();
    expect(after.data?.login.accessToken).toEqual(expect.any(String));
  });

  it('doubles the wait with each failure after the lock, up to the maximum', async () => {
    const username = await newUser();
    await failTimes(username, 5, fromAddress(3));
    const waits: (string | null)[] = [];
    for (let i = 0; i < 5; i += 1) {
      const refused = await attempt(first.call, username, 'wrong password', fromAddress(3));
      waits.push(refused.headers.get('retry-after'));
      clock.advance(Number(refused.headers.get('retry-after')) * 1000);
      expect(codeOf(await attempt(second.call, username, 'wrong password', fromAddress(3)))).toBe('UNAUTHENTICATED');
    }
    expect(waits).toEqual(['60', '120', '240', '480', '600']);
    clock.advance(10 * MINUTE);
  });

  it('resets the username count on a successful login', async () => {
    const username = await newUser();
    await failTimes(username, 4, fromAddress(4));
    expect(codeOf(await attempt(second.call, username, PASSWORD, fromAddress(4)))).toBeUndefined();
    await failTimes(username, 4, fromAddress(4));
    expect(codeOf(await attempt(first.call, username, PASSWORD, fromAddress(4)))).toBeUndefined();
  });

  it('locks an unknown username exactly like an existing one, so a lockout reveals nothing', async () => {
    const existing = await newUser();
    const unknown = `nobody-${userNumber}`;
    await failTimes(existing, 5, fromAddress(5));
    await failTimes(unknown, 5, fromAddress(6));
    const [lockedExisting, lockedUnknown] = await Promise.all([
      attempt(first.call, existing, PASSWORD, fromAddress(5)),
      attempt(first.call, unknown, PASSWORD, fromAddress(6)),
    ]);
    expect(lockedExisting.status).toBe(429);
    expect(lockoutShape(lockedUnknown)).toEqual(lockoutShape(lockedExisting));
    expect(lockedUnknown.headers.get('retry-after')).toBe(lockedExisting.headers.get('retry-after'));
  });

  it('counts Alice and ALICE as one username', async () => {
    const username = await newUser();
    await failTimes(username.toUpperCase(), 5, fromAddress(7));
    expect(codeOf(await attempt(first.call, username, PASSWORD, fromAddress(7)))).toBe('RATE_LIMITED');
  });

  it('lets no more than five of 40 concurrent guesses over both instances reach the password check', async () => {
    const username = await newUser();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(i % 2 === 0 ? first.call : second.call, username, `guess ${i}`, fromAddress(8))),
    );
    const codes = responses.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(35);
    expect(responses.every((response) => response.status < 500)).toBe(true);
    // Whatever the interleaving, the five failures have locked the name.
    expect(codeOf(await attempt(first.call, username, PASSWORD, fromAddress(8)))).toBe(
      codes.filter((code) => code === 'UNAUTHENTICATED').length === 5 ? 'RATE_LIMITED' : undefined,
    );
  });

  it('answers logins beyond what may be in flight at once with Retry-After: 1, without counting them as failures', async () => {
    const username = await newUser();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(i % 2 === 0 ? first.call : second.call, username, PASSWORD, fromAddress(13))),
    );
    const busy = responses.filter((response) => codeOf(response) === 'RATE_LIMITED');
    expect(responses.filter((response) => response.data?.login).length).toBeGreaterThanOrEqual(5);
    for (const response of busy) {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.errors?.[0].message).toBe('Too many login attempts at once; try again in a moment');
    }
    expect(codeOf(await attempt(second.call, username, PASSWORD, fromAddress(13)))).toBeUndefined();
  });

  it('locks a client address that sprays many usernames, and leaves other addresses alone', async () => {
    for (let i = 0; i < 12; i += 1) {
      expect(codeOf(await attempt(i % 2 === 0 ? first.call : second.call, `spray-${i}`, 'Winter2026!', fromAddress(9)))).toBe('UNAUTHENTICATED');
    }
    const username = await newUser();
    const fromSprayer = await attempt(first.call, username, PASSWORD, fromAddress(9));
    expect(fromSprayer.status).toBe(429);
    expect(codeOf(fromSprayer)).toBe('RATE_LIMITED');
    expect(codeOf(await attempt(second.call, username, PASSWORD, fromAddress(10)))).toBeUndefined();
  });

  it('counts wrong current passwords of changePassword too, so a stolen token cannot guess the password', async () => {
    const username = await newUser();
    const token = (await attempt(first.call, username, PASSWORD, fromAddress(12))).data?.login.accessToken;
    const change = (current: string) =>
      second.call(`mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "a brand new password") }`, {
        variables: { c: current },
        token,
        headers: fromAddress(12),
      });
    for (let i = 0; i < 5; i += 1) {
      expect((await change(`guess ${i}`)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    }
    const locked = await change(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(codeOf(await attempt(first.call, username, PASSWORD, fromAddress(12)))).toBe('RATE_LIMITED');
  });

  it('keeps attempted usernames out of Redis: counters are keyed by a hash', async () => {
    await attempt(first.call, 'hunter2-typed-into-the-username-field', 'x'.repeat(8), fromAddress(11));
    const keys = await keysWithPrefix(first.deps.redis!, keyPrefix);
    expect(keys.some((key) => key.includes('login-failures:'))).toBe(true);
    expect(keys.join('\n')).not.toContain('hunter2');
  });
});

describe('the client address without TRUST_PROXY', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ BRUTE_FORCE_FAILURE_FACTOR: '100', BRUTE_FORCE_IP_FAILURE_FACTOR: '3' }));
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For, so a client cannot shed its lock by forging one', async () => {
    for (let i = 0; i < 3; i += 1) {
      const forged = { 'x-forwarded-for': `203.0.113.${i}` };
      expect(codeOf(await attempt(server.call, `someone-${i}`, 'wrong password', forged))).toBe('UNAUTHENTICATED');
    }
    const response = await attempt(server.call, 'someone-else', 'wrong password', { 'x-forwarded-for': '203.0.113.99' });
    expect(response.status).toBe(429);
    expect(codeOf(response)).toBe('RATE_LIMITED');
  });
});
