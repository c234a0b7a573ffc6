import { createHash, createHmac } from 'node:crypto';
import { ManualClock } from '../support/manual-clock';
import { type GraphQLCaller, type GraphQLResponse } from '../support/graphql-caller';
import { clusterEnv, keysWithPrefix } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { postFrom } from './support/from-address';

const LOGIN = `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`;
const PASSWORD = 'correct horse battery staple';
const MINUTE = 60_000;
const SECOND = 1_000;
const LOCKED_OUT = 'Too many failed login attempts; try again later';
const SLOWED_DOWN = 'Too many failed logins for this username; try again later';

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

  /** An address never used before: one of the many a botnet spreads its guesses over. */
  let addressNumber = 0;
  function freshAddress(): Record<string, string> {
    addressNumber += 1;
    return { 'x-forwarded-for': `10.1.${Math.floor(addressNumber / 250)}.${(addressNumber % 250) + 1}` };
  }

  /** One wrong guess from each of `times` fresh addresses, alternating instances; none of them is spaced yet. */
  async function failFromManyAddresses(username: string, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      expect(codeOf(await attempt(i % 2 === 0 ? first.call : second.call, username, 'wrong password', freshAddress()))).toBe('UNAUTHENTICATED');
    }
  }

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

  it('locks a username at one address after five failures spread over both instances: even the right password from there gets 429 with Retry-After', async () => {
    const username = await newUser();
    await failTimes(username, 5, fromAddress(1));

    const locked = await attempt(second.call, username, PASSWORD, fromAddress(1));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.data ?? null).toBeNull();
    expect(locked.errors?.[0]).toMatchObject({
      message: LOCKED_OUT,
      extensions: { code: 'RATE_LIMITED', retryAfter: 60 },
    });
    // The lock is the guesser's, not the account's: the owner at another address logs in,
    // and that success does not unlock the guessing address.
    const owner = await attempt(first.call, username, PASSWORD, fromAddress(2));
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.accessToken).toEqual(expect.any(String));
    expect(codeOf(await attempt(second.call, username, PASSWORD, fromAddress(1)))).toBe('RATE_LIMITED');

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

  it('keeps attempted usernames out of Redis: counters are keyed by an HMAC under the server secret, not a plain hash', async () => {
    const typed = 'hunter2-typed-into-the-username-field';
    await attempt(first.call, typed, 'x'.repeat(8), fromAddress(11));
    const keys = (await keysWithPrefix(first.deps.redis!, keyPrefix)).join('\n');
    expect(keys).toContain('login-failures:');
    // Anyone with a dump could hash a dictionary and compare: no unkeyed digest of the name may appear.
    const sha256 = createHash('sha256').update(typed).digest();
    for (const form of [typed, 'hunter2', sha256.toString('hex'), sha256.toString('base64url'), sha256.toString('base64')]) {
      expect(keys).not.toContain(form);
    }
    expect(keys).toContain(createHmac('sha256', first.config.serverSecret).update(typed).digest('base64url'));
  });

  it("spaces a username's attempts from many addresses past ten failures: a guess waits for its slot or gets 429 with Retry-After, and the right password still logs in", async () => {
    const username = await newUser();
    // Ten guesses from ten addresses: no address comes near its own lock, and none is spaced.
    await failFromManyAddresses(username, 10);
    // The eleventh takes the first slot (now) and pushes the next one a second ahead.
    expect(codeOf(await attempt(first.call, username, 'wrong password', freshAddress()))).toBe('UNAUTHENTICATED');

    // Four at once: three take the slots 1 s, 3 s and 5 s ahead (each failure so far doubles the
    // spacing: 2 s) and wait for them on the server; the fourth's slot, 7 s ahead, is past the 5 s
    // a request may be held, so it is answered at once, without taking a slot.
    const answered: LoginResponse[] = [];
    const guesses = Array.from({ length: 4 }, (_, i) =>
      attempt(i % 2 === 0 ? first.call : second.call, username, `guess ${i}`, freshAddress()).then((response) => {
        answered.push(response);
        return response;
      }),
    );
    const refused = await Promise.race(guesses);
    expect(answered).toHaveLength(1);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]).toMatchObject({ message: SLOWED_DOWN, extensions: { code: 'RATE_LIMITED', retryAfter: 7 } });

    // Held guesses go on when the clock reaches their slots, and their password is checked.
    clock.advance(5 * SECOND);
    expect((await Promise.all(guesses)).map(codeOf).sort()).toEqual(['RATE_LIMITED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);

    // Fourteen failures: the next slot, 2 s ahead, is waited for; it pushes the next one 16 s on.
    const held = attempt(second.call, username, 'wrong password', freshAddress());
    clock.advance(2 * SECOND);
    expect(codeOf(await held)).toBe('UNAUTHENTICATED');

    // The owner, at an address of their own, is told when to come back; then logs in.
    const early = await attempt(first.call, username, PASSWORD, freshAddress());
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('16');
    expect(early.errors?.[0]).toMatchObject({ message: SLOWED_DOWN, extensions: { code: 'RATE_LIMITED', retryAfter: 16 } });
    clock.advance(16 * SECOND);
    const owner = await attempt(second.call, username, PASSWORD, freshAddress());
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.accessToken).toEqual(expect.any(String));

    // The success forgot the username's failures: the next guess is not spaced (it would wait 30 s).
    expect(codeOf(await attempt(first.call, username, 'wrong password', freshAddress()))).toBe('UNAUTHENTICATED');
  });

  it("lifts every lock of a username with unlock: each address's and the username's spacing; a locked address never moves the owner's slot", async () => {
    const username = await newUser();
    await failTimes(username, 5, fromAddress(20));
    await failTimes(username, 5, fromAddress(21));
    for (const address of [fromAddress(20), fromAddress(21)]) {
      expect(codeOf(await attempt(first.call, username, PASSWORD, address))).toBe('RATE_LIMITED');
    }
    // Spaced guesses, each in its slot as the clock reaches it: 1 s, 2 s, 4 s apart.
    await failFromManyAddresses(username, 1);
    for (const wait of [1, 2]) {
      clock.advance(wait * SECOND);
      await failFromManyAddresses(username, 1);
    }
    clock.advance(4 * SECOND);
    // The next slot is now: a locked address hammering away never reaches it, so it stays free...
    for (let i = 0; i < 20; i += 1) {
      const hammer = await attempt(i % 2 === 0 ? first.call : second.call, username, `guess ${i}`, fromAddress(20));
      expect(hammer.errors?.[0]?.message).toBe(LOCKED_OUT);
    }
    // ...for this guess, which takes it and pushes the next one 8 s ahead.
    await failFromManyAddresses(username, 1);
    const slowed = await attempt(second.call, username, PASSWORD, freshAddress());
    expect(slowed.headers.get('retry-after')).toBe('8');

    expect(await first.deps.loginThrottle.unlock(username.toUpperCase())).toEqual({ failures: 14, lockedAddresses: 2, slowedDown: true });
    for (const address of [freshAddress(), fromAddress(20), fromAddress(21)]) {
      expect((await attempt(second.call, username, PASSWORD, address)).data?.login.accessToken).toEqual(expect.any(String));
    }
    expect(await first.deps.loginThrottle.unlock(username)).toEqual({ failures: 0, lockedAddresses: 0, slowedDown: false });
  });
});

describe('the owner and a guesser on addresses of their own, without a proxy in front', () => {
  const clock = new ManualClock(Date.now());
  let first: TestServer;
  let second: TestServer;
  let userNumber = 0;
  const ATTACKER = '127.0.0.2';
  const OWNER = '127.0.0.3';

  async function newUser(): Promise<string> {
    userNumber += 1;
    const username = `owner${userNumber}`;
    await first.deps.accounts.create({ username, password: PASSWORD, authorities: [] });
    return username;
  }

  const from = (server: TestServer, address: string, username: string, password: string): Promise<LoginResponse> =>
    postFrom(server.url, address, LOGIN, { u: username, p: password });

  beforeAll(async () => {
    // TRUST_PROXY unset: the socket's peer is the client address.
    const env = clusterEnv({ BRUTE_FORCE_FAILURE_FACTOR: '5', BRUTE_FORCE_WAIT_INCREMENT: '1m' });
    first = await startTestServer(env, { clock });
    second = await startTestServer(env, { clock });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('lets the owner log in from a clean address while a guesser hammers the username from another, whose own lock holds even with the right password', async () => {
    const username = await newUser();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 30; i += 1) {
      codes.push(codeOf(await from(i % 2 === 0 ? first : second, ATTACKER, username, `guess ${i}`)));
    }
    expect(codes).toEqual([...Array<string>(5).fill('UNAUTHENTICATED'), ...Array<string>(25).fill('RATE_LIMITED')]);

    const owner = await from(second, OWNER, username, PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.accessToken).toEqual(expect.any(String));

    const guesser = await from(first, ATTACKER, username, PASSWORD);
    expect(guesser.status).toBe(429);
    expect(guesser.headers.get('retry-after')).toBe('60');
    expect(guesser.errors?.[0]).toMatchObject({ message: LOCKED_OUT, extensions: { code: 'RATE_LIMITED', retryAfter: 60 } });
  });
});

describe('concurrent guesses from many addresses', () => {
  const clock = new ManualClock(Date.now());
  let first: TestServer;
  let second: TestServer;
  let addressNumber = 0;

  function freshAddress(): Record<string, string> {
    addressNumber += 1;
    return { 'x-forwarded-for': `10.2.${Math.floor(addressNumber / 250)}.${(addressNumber % 250) + 1}` };
  }

  beforeAll(async () => {
    // The first spacing step (10 s) is past the 5 s a request may be held: a spaced guess is
    // answered at once, in its slot or with 429, so every answer arrives with the clock standing still.
    const env = clusterEnv({ TRUST_PROXY: 'loopback', BRUTE_FORCE_SLOWDOWN_INCREMENT: '10s', BRUTE_FORCE_MAX_SLOWDOWN: '1m' });
    first = await startTestServer(env, { clock });
    second = await startTestServer(env, { clock });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('lets no more than ten of 40 concurrent guesses from 40 addresses over both instances reach the password check unspaced', async () => {
    const username = 'many-addresses';
    await first.deps.accounts.create({ username, password: PASSWORD, authorities: [] });
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(i % 2 === 0 ? first.call : second.call, username, `guess ${i}`, freshAddress())),
    );
    expect(responses.every((response) => response.status < 500)).toBe(true);
    // Ten unspaced, whatever the interleaving (failures and attempts in flight are counted
    // together), then one in the first spaced slot; every other guess is told to come back in 10 s.
    const checked = responses.filter((response) => codeOf(response) === 'UNAUTHENTICATED');
    const refused = responses.filter((response) => codeOf(response) === 'RATE_LIMITED');
    expect(checked).toHaveLength(11);
    expect(refused).toHaveLength(29);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('10');
      expect(response.errors?.[0]).toMatchObject({ message: SLOWED_DOWN, extensions: { code: 'RATE_LIMITED', retryAfter: 10 } });
    }
    clock.advance(10 * SECOND);
    expect((await attempt(second.call, username, PASSWORD, freshAddress())).data?.login.accessToken).toEqual(expect.any(String));
  });

  it('spaces an unknown username exactly like an existing one', async () => {
    const existing = 'spaced-existing';
    await first.deps.accounts.create({ username: existing, password: PASSWORD, authorities: [] });
    const answers = async (username: string) => {
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 11; i += 1) codes.push(codeOf(await attempt(i % 2 === 0 ? first.call : second.call, username, 'wrong password', freshAddress())));
      return { codes, spaced: await attempt(first.call, username, PASSWORD, freshAddress()) };
    };
    const real = await answers(existing);
    const unknown = await answers('spaced-nobody');
    expect(real.codes).toEqual(Array<string>(11).fill('UNAUTHENTICATED'));
    expect(unknown.codes).toEqual(real.codes);
    expect(real.spaced.status).toBe(429);
    expect(lockoutShape(unknown.spaced)).toEqual(lockoutShape(real.spaced));
    expect(unknown.spaced.headers.get('retry-after')).toBe(real.spaced.headers.get('retry-after'));
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
