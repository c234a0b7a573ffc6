import { AuthenticatorApp } from '../support/authenticator-app';
import { CREATE_USER, type GraphQLResponse } from '../support/graphql-caller';
import { ManualClock } from '../support/manual-clock';
import { CONFIRM_TOTP, ENROLL_TOTP, errorOf, LOGIN_WITH_CODE, signIn } from '../support/second-factor-calls';
import { clusterEnv, type Env } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const ADMIN = { username: 'root', password: 'a long administrator passphrase' };
const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;
const USERS = '{ users { nodes { username } } }';
const ME = '{ me { username email authorities } }';
const MFA_REQUIRED = { code: 'FORBIDDEN', reason: 'MFA_REQUIRED' };

const bootstrapAdmin = (overrides: Env = {}): Env =>
  clusterEnv({ BOOTSTRAP_ADMIN_USERNAME: ADMIN.username, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, ACCESS_TOKEN_TTL: '1h', ...overrides });

const usernamesIn = (response: GraphQLResponse): string[] =>
  (response.data?.users as { nodes: { username: string }[] } | undefined)?.nodes.map((node) => node.username) ?? [];

describe('REQUIRE_MFA_FOR=ROLE_ADMIN: administration needs a session that used a second factor', () => {
  // A step starts one second after this: the app's codes are known exactly.
  const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 1_000);
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(bootstrapAdmin({ REQUIRE_MFA_FOR: 'ROLE_ADMIN' }), { clock });
  });
  afterAll(() => server.close());

  const createUser = (token: string, username: string) =>
    server.call(CREATE_USER, { token, variables: { input: { username, password: PASSWORD } } });

  it('refuses the bootstrap admin in a password-only session with MFA_REQUIRED, and lets them through once they sign in with a code', async () => {
    const passwordOnly = await signIn(server.call, ADMIN.username, ADMIN.password);
    expect(passwordOnly.amr).toEqual(['pwd']);

    const users = await server.call(USERS, { token: passwordOnly.accessToken });
    expect(errorOf(users)).toEqual(MFA_REQUIRED);
    expect(users.data).toBeNull();
    const created = await createUser(passwordOnly.accessToken, 'made-without-code');
    expect(errorOf(created)).toEqual(MFA_REQUIRED);
    expect(created.data).toBeNull();
    expect(await server.deps.accounts.findByUsername('made-without-code')).toBeUndefined();

    // Their own account is theirs as owner, not as administrator: no second factor needed.
    const me = await server.call(ME, { token: passwordOnly.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { username: ADMIN.username, email: null, authorities: ['ROLE_ADMIN'] } });

    // Setting up the app needs only a signed-in session.
    const enrolment = await server.call(ENROLL_TOTP, { token: passwordOnly.accessToken });
    expect(enrolment.errors).toBeUndefined();
    const app = new AuthenticatorApp(enrolment.data.enrollTotp.otpauthUrl);
    const confirmed = await server.call(CONFIRM_TOTP, { token: passwordOnly.accessToken, variables: { code: app.codeAt(clock.now()) } });
    expect(confirmed.errors).toBeUndefined();
    clock.advance(STEP_MS);

    const withoutCode = await server.call(LOGIN_WITH_CODE, { variables: { input: ADMIN } });
    expect(errorOf(withoutCode)).toMatchObject({ code: 'MFA_REQUIRED' });
    const withCode = await signIn(server.call, ADMIN.username, ADMIN.password, app.codeAt(clock.now()));
    expect(withCode.amr).toEqual(['pwd', 'otp']);

    const createdWithCode = await createUser(withCode.accessToken, 'made-with-code');
    expect(createdWithCode.errors).toBeUndefined();
    expect(createdWithCode.data?.createUser).toMatchObject({ username: 'made-with-code', authorities: [] });
    const usersWithCode = await server.call(USERS, { token: withCode.accessToken });
    expect(usersWithCode.errors).toBeUndefined();
    expect(usernamesIn(usersWithCode)).toEqual(expect.arrayContaining([ADMIN.username, 'made-with-code']));
    expect(usernamesIn(usersWithCode)).not.toContain('made-without-code');

    // The session from before the app keeps what it signed in with: still password only.
    expect(errorOf(await server.call(USERS, { token: passwordOnly.accessToken }))).toEqual(MFA_REQUIRED);
  });

  it('leaves a user without ROLE_ADMIN as before: their own me { email } with a password, and a plain FORBIDDEN on users', async () => {
    await server.deps.accounts.create({ username: 'plain', password: PASSWORD, email: 'plain@example.org', emailVerified: true });
    const { accessToken, amr } = await signIn(server.call, 'plain', PASSWORD);
    expect(amr).toEqual(['pwd']);

    const me = await server.call(ME, { token: accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { username: 'plain', email: 'plain@example.org', authorities: [] } });

    const users = await server.call(USERS, { token: accessToken });
    expect(errorOf(users)).toEqual({ code: 'FORBIDDEN', requires: ['ROLE_ADMIN'], anyOf: [] });
  });
});

describe('without REQUIRE_MFA_FOR', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(bootstrapAdmin());
  });
  afterAll(() => server.close());

  it('lets the bootstrap admin administer with a password-only session', async () => {
    const { accessToken, amr } = await signIn(server.call, ADMIN.username, ADMIN.password);
    expect(amr).toEqual(['pwd']);

    const created = await server.call(CREATE_USER, { token: accessToken, variables: { input: { username: 'made-by-password', password: PASSWORD } } });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createUser).toMatchObject({ username: 'made-by-password' });
    const users = await server.call(USERS, { token: accessToken });
    expect(users.errors).toBeUndefined();
    expect(usernamesIn(users)).toEqual(expect.arrayContaining([ADMIN.username, 'made-by-password']));
  });
});
