import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { AuthenticatorApp } from '../support/authenticator-app';
import { ManualClock } from '../support/manual-clock';
import {
  claimsOf,
  CONFIRM_TOTP,
  DISABLE_TOTP,
  ENROLL_TOTP,
  errorOf,
  LOGIN_WITH_CODE,
  REFRESH,
  SECOND_FACTORS,
  signIn,
} from '../support/second-factor-calls';
import { clusterClient, clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;

describe('authenticator apps (TOTP) and recovery codes, on the real cluster', () => {
  // A step starts one second after this: codes of the current, previous and next steps are known exactly.
  const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 1_000);
  let server: TestServer;
  let counter = 0;
  const newUsername = () => `totp${Date.now().toString(36)}${(counter++).toString(36)}`;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ ACCESS_TOKEN_TTL: '1h', SESSION_MAX_TTL: '7d' }), { clock });
  });
  afterAll(() => server.close());

  async function newUser(): Promise<string> {
    const username = newUsername();
    await server.deps.accounts.create({ username, password: PASSWORD });
    return username;
  }

  /** Sets up an app for a user who has none: answers the app and the recovery codes. */
  async function enrolled(username: string): Promise<{ app: AuthenticatorApp; recoveryCodes: string[] }> {
    const { accessToken } = await signIn(server.call, username, PASSWORD);
    const enrolment = await server.call(ENROLL_TOTP, { token: accessToken });
    const app = new AuthenticatorApp(enrolment.data.enrollTotp.otpauthUrl);
    const confirmed = await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now()) } });
    expect(confirmed.errors).toBeUndefined();
    // The confirming code is used up: the next login needs a later step.
    clock.advance(STEP_MS);
    return { app, recoveryCodes: confirmed.data.confirmTotp };
  }

  const login = (username: string, otp?: string, password = PASSWORD) =>
    server.call(LOGIN_WITH_CODE, { variables: { input: { username, password, ...(otp !== undefined && { otp }) } } });

  it('enrols: a QR URL and secret, pending until a code confirms it, then ten recovery codes', async () => {
    const username = await newUser();
    const { accessToken } = await signIn(server.call, username, PASSWORD);
    const enrolment = (await server.call(ENROLL_TOTP, { token: accessToken })).data.enrollTotp;
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(enrolment.otpauthUrl);
    expect({ protocol: url.protocol, host: url.host, label: decodeURIComponent(url.pathname), secret: url.searchParams.get('secret') }).toEqual({
      protocol: 'otpauth:',
      host: 'totp',
      label: `/graphql-auth-service:${username}`,
      secret: enrolment.secret,
    });

    // Pending: the account still signs in with its password alone.
    expect((await signIn(server.call, username, PASSWORD)).amr).toEqual(['pwd']);
    expect((await server.call(SECOND_FACTORS, { token: accessToken })).data.secondFactors).toEqual({
      totpEnabled: false,
      recoveryCodesLeft: 0,
      passkeys: [],
    });

    const app = new AuthenticatorApp(enrolment.otpauthUrl);
    const wrong = await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now(), 5) } });
    expect(errorOf(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });

    const confirmed = await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now()) } });
    const codes: string[] = confirmed.data.confirmTotp;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    expect((await server.call(SECOND_FACTORS, { token: accessToken })).data.secondFactors).toEqual({
      totpEnabled: true,
      recoveryCodesLeft: 10,
      passkeys: [],
    });
  });

  it('answers MFA_REQUIRED and no token for the right password without a code; a wrong password stays UNAUTHENTICATED', async () => {
    const username = await newUser();
    await enrolled(username);

    const withoutCode = await login(username);
    expect(withoutCode.data).toBeNull();
    expect(errorOf(withoutCode)).toEqual({ code: 'MFA_REQUIRED', methods: ['otp'] });

    for (const otp of [undefined, '123456']) {
      const wrongPassword = await login(username, otp, 'not the password at all');
      expect(errorOf(wrongPassword)).toEqual({ code: 'UNAUTHENTICATED' });
      expect(wrongPassword.errors?.[0].message).toBe('Invalid username or password');
    }
  });

  it('signs in with a code: amr pwd+otp in the token and the session, kept by refresh', async () => {
    const username = await newUser();
    const { app } = await enrolled(username);
    const signedIn = await signIn(server.call, username, PASSWORD, app.codeAt(clock.now()));
    expect(signedIn.amr).toEqual(['pwd', 'otp']);
    const claims = claimsOf(signedIn.accessToken);
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.auth_time).toBe(Math.floor(clock.now() / 1000));

    clock.advance(5 * 60_000);
    const refreshed = await server.call(REFRESH, { variables: { refreshToken: signedIn.refreshToken } });
    expect(refreshed.data.refresh.session.amr).toEqual(['pwd', 'otp']);
    const refreshedClaims = claimsOf(refreshed.data.refresh.accessToken);
    expect({ amr: refreshedClaims.amr, auth_time: refreshedClaims.auth_time }).toEqual({ amr: ['pwd', 'otp'], auth_time: claims.auth_time });
    expect(refreshedClaims.iat).toBeGreaterThan(claims.iat as number);
  });

  it('accepts a code once: the same code again, or an earlier step after a later one, is refused', async () => {
    const username = await newUser();
    const { app } = await enrolled(username);
    const code = app.codeAt(clock.now());
    await signIn(server.call, username, PASSWORD, code);
    const replayed = await login(username, code);
    expect(errorOf(replayed)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(replayed.errors?.[0].message).toBe('The code is wrong or was already used');

    clock.advance(STEP_MS);
    await signIn(server.call, username, PASSWORD, app.codeAt(clock.now(), 1));
    // The current step's code is still within the drift, but a later step was used already.
    expect(errorOf(await login(username, app.codeAt(clock.now())))).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('accepts a clock one step behind or ahead, not two', async () => {
    const username = await newUser();
    const { app } = await enrolled(username);
    // One step on, the step before is not the one that confirmed the app.
    clock.advance(STEP_MS);
    expect(errorOf(await login(username, app.codeAt(clock.now(), -2)))).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await signIn(server.call, username, PASSWORD, app.codeAt(clock.now(), -1))).amr).toEqual(['pwd', 'otp']);
    expect(errorOf(await login(username, app.codeAt(clock.now(), 2)))).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await signIn(server.call, username, PASSWORD, app.codeAt(clock.now(), 1))).amr).toEqual(['pwd', 'otp']);
  });

  it('spends each recovery code once, however it is typed', async () => {
    const username = await newUser();
    const { recoveryCodes } = await enrolled(username);
    const [first, second] = recoveryCodes;
    expect((await signIn(server.call, username, PASSWORD, first)).amr).toEqual(['pwd', 'otp']);
    expect(errorOf(await login(username, first))).toEqual({ code: 'UNAUTHENTICATED' });
    const typed = ` ${second.toUpperCase().replace(/-/g, ' ')} `;
    const { accessToken } = await signIn(server.call, username, PASSWORD, typed);
    expect((await server.call(SECOND_FACTORS, { token: accessToken })).data.secondFactors.recoveryCodesLeft).toBe(8);
  });

  it('turns the app off only with a code, from a session that used one; the password alone then signs in', async () => {
    const username = await newUser();
    const { app } = await enrolled(username);
    expect(errorOf(await login(username))).toMatchObject({ code: 'MFA_REQUIRED' });

    const { accessToken } = await signIn(server.call, username, PASSWORD, app.codeAt(clock.now()));
    clock.advance(STEP_MS);
    const wrong = await server.call(DISABLE_TOTP, { token: accessToken, variables: { code: '000000' } });
    expect(errorOf(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const disabled = await server.call(DISABLE_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now()) } });
    expect(disabled.data).toEqual({ disableTotp: true });

    expect((await signIn(server.call, username, PASSWORD)).amr).toEqual(['pwd']);
    expect((await server.call(SECOND_FACTORS, { token: accessToken })).data.secondFactors).toEqual({
      totpEnabled: false,
      recoveryCodesLeft: 0,
      passkeys: [],
    });
  });

  it('keeps factors from sessions without one (a session from before the app was set up) and from old sign-ins', async () => {
    const username = await newUser();
    const before = await signIn(server.call, username, PASSWORD);
    const { app } = await enrolled(username);
    // That session used only a password: it may not turn the app off, even with a good code.
    const fromOldSession = await server.call(DISABLE_TOTP, { token: before.accessToken, variables: { code: app.codeAt(clock.now()) } });
    expect(errorOf(fromOldSession)).toEqual({ code: 'FORBIDDEN', reason: 'MFA_REQUIRED' });

    const withCode = await signIn(server.call, username, PASSWORD, app.codeAt(clock.now()));
    clock.advance(16 * 60_000);
    // Refreshed, the session is as old as its sign-in: too old to change factors.
    const refreshed = await server.call(REFRESH, { variables: { refreshToken: withCode.refreshToken } });
    const stale = await server.call(DISABLE_TOTP, { token: refreshed.data.refresh.accessToken, variables: { code: app.codeAt(clock.now()) } });
    expect(errorOf(stale)).toEqual({ code: 'FORBIDDEN', reason: 'RECENT_SIGN_IN_REQUIRED' });
    expect((await server.call(ENROLL_TOTP, { token: refreshed.data.refresh.accessToken })).errors?.[0].extensions).toEqual({
      code: 'FORBIDDEN',
      reason: 'RECENT_SIGN_IN_REQUIRED',
    });
  });

  it('stores the secret sealed and the recovery codes as hashes only', async () => {
    const username = await newUser();
    const { accessToken } = await signIn(server.call, username, PASSWORD);
    const enrolment = (await server.call(ENROLL_TOTP, { token: accessToken })).data.enrollTotp;
    const app = new AuthenticatorApp(enrolment.otpauthUrl);
    const codes: string[] = (await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now()) } })).data.confirmTotp;
    clock.advance(STEP_MS);

    const redis = clusterClient();
    try {
      const user = await server.deps.accounts.findByUsername(username);
      const stored = await redis.hgetall(createRedisKeys(server.config.redisKeyPrefix).secondFactors(user!.id));
      const everything = JSON.stringify(stored);
      expect(everything).not.toContain(enrolment.secret);
      for (const code of codes) expect(everything).not.toContain(code.replace(/-/g, ''));
      expect(stored.totp).toMatch(/^\d+\|development\.[\w-]+\.[\w-]+$/);
      expect(Object.keys(stored).filter((field) => field.startsWith('rc:'))).toHaveLength(10);
    } finally {
      redis.disconnect();
    }
  });
});

describe('wrong codes count with wrong passwords', () => {
  it('locks the username at this address after five wrong codes, even for the right code', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 1_000);
    const server = await startTestServer(clusterEnv({ BRUTE_FORCE_FAILURE_FACTOR: '5' }), { clock });
    try {
      const username = `lock${Date.now().toString(36)}`;
      await server.deps.accounts.create({ username, password: PASSWORD });
      const { accessToken } = await signIn(server.call, username, PASSWORD);
      const app = new AuthenticatorApp((await server.call(ENROLL_TOTP, { token: accessToken })).data.enrollTotp.otpauthUrl);
      await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(clock.now()) } });
      clock.advance(STEP_MS);

      const login = (otp: string) => server.call(LOGIN_WITH_CODE, { variables: { input: { username, password: PASSWORD, otp } } });
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect(errorOf(await login(app.codeAt(clock.now(), 3 + attempt)))).toEqual({ code: 'UNAUTHENTICATED' });
      }
      const locked = await login(app.codeAt(clock.now()));
      expect(locked.status).toBe(429);
      expect(errorOf(locked)).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await server.close();
    }
  });
});
