import { ManualClock } from '../support/manual-clock';
import { claimsOf, errorOf, LOGIN_WITH_CODE, SECOND_FACTORS, signIn } from '../support/second-factor-calls';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { clusterClient, clusterEnv, keysWithPrefix } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ORIGIN = 'http://localhost:5173';

const REGISTRATION_OPTIONS = `mutation { passkeyRegistrationOptions }`;
const REGISTER = `mutation Register($response: JSON!, $name: String) { registerPasskey(response: $response, name: $name) }`;
const LOGIN_OPTIONS = `mutation Options($username: String) { passkeyLoginOptions(username: $username) }`;
const LOGIN_WITH_PASSKEY = `mutation Passkey($response: JSON!) { loginWithPasskey(response: $response) { accessToken user { username } session { amr } } }`;
const REMOVE = `mutation Remove($id: ID!) { removePasskey(id: $id) }`;

describe('passkeys (WebAuthn), on the real cluster', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ ACCESS_TOKEN_TTL: '1h', APP_URL: ORIGIN }), { clock });
  });
  afterAll(() => server.close());

  async function newUser(): Promise<{ username: string; accessToken: string }> {
    const username = `pk${Date.now().toString(36)}${(counter++).toString(36)}`;
    await server.deps.accounts.create({ username, password: PASSWORD });
    return { username, accessToken: (await signIn(server.call, username, PASSWORD)).accessToken };
  }

  async function register(accessToken: string, authenticator: SoftwareAuthenticator, name?: string) {
    const options = (await server.call(REGISTRATION_OPTIONS, { token: accessToken })).data.passkeyRegistrationOptions;
    return server.call(REGISTER, { token: accessToken, variables: { response: authenticator.create(options, ORIGIN), name } });
  }

  async function loginOptions(username?: string) {
    return (await server.call(LOGIN_OPTIONS, { variables: { username } })).data.passkeyLoginOptions;
  }

  it('registers a discoverable, user-verified passkey and lists it by name', async () => {
    const { username, accessToken } = await newUser();
    const options = (await server.call(REGISTRATION_OPTIONS, { token: accessToken })).data.passkeyRegistrationOptions;
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      user: { name: username },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    expect(options.challenge).toMatch(/^[\w-]{43}$/);

    const authenticator = new SoftwareAuthenticator();
    const registered = await server.call(REGISTER, { token: accessToken, variables: { response: authenticator.create(options, ORIGIN), name: 'Laptop' } });
    expect(registered.data).toEqual({ registerPasskey: true });
    const { passkeys } = (await server.call(SECOND_FACTORS, { token: accessToken })).data.secondFactors;
    expect(passkeys).toEqual([{ id: expect.stringMatching(/^[\w-]+$/), name: 'Laptop', deviceType: 'singleDevice', backedUp: false }]);

    // The challenge was spent: even from a session that may add passkeys, the same options make no second one.
    const withPasskey = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(), ORIGIN) } });
    const again = await server.call(REGISTER, {
      token: withPasskey.data.loginWithPasskey.accessToken,
      variables: { response: new SoftwareAuthenticator().create(options, ORIGIN) },
    });
    expect(errorOf(again)).toEqual({ code: 'BAD_USER_INPUT', field: 'response' });
  });

  it('signs in with the passkey alone: amr hwk for a device-bound key, swk for a synced one', async () => {
    for (const [synced, method] of [[false, 'hwk'], [true, 'swk']] as const) {
      const { username, accessToken } = await newUser();
      const authenticator = new SoftwareAuthenticator({ synced });
      expect((await register(accessToken, authenticator)).errors).toBeUndefined();
      const signedIn = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(), ORIGIN) } });
      expect(signedIn.data.loginWithPasskey).toMatchObject({ user: { username }, session: { amr: [method] } });
      expect(claimsOf(signedIn.data.loginWithPasskey.accessToken).amr).toEqual([method]);
    }
  });

  it('makes the password alone insufficient: MFA_REQUIRED names the passkey', async () => {
    const { username, accessToken } = await newUser();
    await register(accessToken, new SoftwareAuthenticator());
    const passwordOnly = await server.call(LOGIN_WITH_CODE, { variables: { input: { username, password: PASSWORD } } });
    expect(errorOf(passwordOnly)).toEqual({ code: 'MFA_REQUIRED', methods: ['passkey'] });
  });

  it('refuses a replayed assertion, a counter that did not increase, another origin, and another username', async () => {
    const { username, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await register(accessToken, authenticator);

    const assertion = authenticator.get(await loginOptions(), ORIGIN);
    expect((await server.call(LOGIN_WITH_PASSKEY, { variables: { response: assertion } })).errors).toBeUndefined();
    const replayed = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: assertion } });
    expect(errorOf(replayed)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(replayed.errors?.[0].message).toBe('This passkey sign-in was not accepted: start again');

    const cloned = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.replayCounter(await loginOptions(), ORIGIN) } });
    expect(errorOf(cloned)).toEqual({ code: 'UNAUTHENTICATED' });

    const elsewhere = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(), 'https://evil.example') } });
    expect(errorOf(elsewhere)).toEqual({ code: 'UNAUTHENTICATED' });

    const forOther = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions('someone-else'), ORIGIN) } });
    expect(errorOf(forOther)).toEqual({ code: 'UNAUTHENTICATED' });
    const forOwner = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(username), ORIGIN) } });
    expect(forOwner.data.loginWithPasskey.user).toEqual({ username });
  });

  it('gives the same options for any username, known or not', async () => {
    const { username, accessToken } = await newUser();
    await register(accessToken, new SoftwareAuthenticator());
    const shape = ({ challenge: _challenge, ...rest }: Record<string, unknown>) => rest;
    expect(shape(await loginOptions(username))).toEqual(shape(await loginOptions('nobody-by-this-name')));
    expect(shape(await loginOptions(username))).toEqual({ rpId: 'localhost', timeout: 300000, userVerification: 'required' });
  });

  it('stores nothing for sign-in options, which anyone may ask for', async () => {
    const redis = clusterClient();
    try {
      const before = new Set(await keysWithPrefix(redis, server.config.redisKeyPrefix));
      for (let request = 0; request < 50; request++) await loginOptions(request % 2 === 0 ? undefined : `someone${request}`);
      // Keys of earlier tests may expire meanwhile; none may appear.
      expect((await keysWithPrefix(redis, server.config.redisKeyPrefix)).filter((key) => !before.has(key))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('lets the owner remove a passkey, which then signs in no more', async () => {
    const { accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await register(accessToken, authenticator);
    const session = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(), ORIGIN) } });
    const passkeyToken = session.data.loginWithPasskey.accessToken;
    const [{ id }] = (await server.call(SECOND_FACTORS, { token: passkeyToken })).data.secondFactors.passkeys;

    expect((await server.call(REMOVE, { token: passkeyToken, variables: { id } })).data).toEqual({ removePasskey: true });
    expect((await server.call(REMOVE, { token: passkeyToken, variables: { id } })).data).toEqual({ removePasskey: false });
    const afterRemoval = await server.call(LOGIN_WITH_PASSKEY, { variables: { response: authenticator.get(await loginOptions(), ORIGIN) } });
    expect(errorOf(afterRemoval)).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('adds a second passkey only from a session that used one, and only soon after signing in', async () => {
    const { accessToken } = await newUser();
    await register(accessToken, new SoftwareAuthenticator());
    // The password-only session from before the first passkey may not add another.
    const fromPasswordSession = await server.call(REGISTRATION_OPTIONS, { token: accessToken });
    expect(errorOf(fromPasswordSession)).toEqual({ code: 'FORBIDDEN', reason: 'MFA_REQUIRED' });

    clock.advance(16 * 60_000);
    const stale = await server.call(REGISTRATION_OPTIONS, { token: accessToken });
    expect(errorOf(stale)).toEqual({ code: 'FORBIDDEN', reason: 'RECENT_SIGN_IN_REQUIRED' });
  });

  it('answers BAD_USER_INPUT, never a server error, for a response that is not one', async () => {
    const { accessToken } = await newUser();
    await server.call(REGISTRATION_OPTIONS, { token: accessToken });
    for (const response of [{}, { response: { clientDataJSON: 'not base64 json' } }, 'a string', [1, 2, 3]]) {
      const registered = await server.call(REGISTER, { token: accessToken, variables: { response } });
      expect(errorOf(registered)).toEqual({ code: 'BAD_USER_INPUT', field: 'response' });
      const signedIn = await server.call(LOGIN_WITH_PASSKEY, { variables: { response } });
      expect(errorOf(signedIn)).toEqual({ code: 'UNAUTHENTICATED' });
    }
  });
});
