import type { ParsedMail } from 'mailparser';
import { login } from '../support/graphql-caller';
import { ManualClock } from '../support/manual-clock';
import { freePort, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { clusterEnv, type Env } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const APP_URL = 'https://app.example';
const PASSWORD = 'correct horse battery';
const ADMIN = { BOOTSTRAP_ADMIN_USERNAME: 'admin', BOOTSTRAP_ADMIN_PASSWORD: 'admin-password-123' };

const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) }`;
const VERIFY = `mutation Verify($token: String!) { verifyEmail(token: $token) }`;
const REQUEST_RESET = `mutation RequestReset($email: String!) { requestPasswordReset(email: $email) }`;
const RESET = `mutation Reset($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`;
const CHANGE_EMAIL = `mutation ChangeEmail($newEmail: String!, $currentPassword: String!) { changeEmail(newEmail: $newEmail, currentPassword: $currentPassword) }`;
const INVITE = `mutation Invite($email: String!, $authorities: [String!]) { inviteUser(email: $email, authorities: $authorities) }`;
const ME = `{ me { username email emailVerified authorities } }`;
const LOGIN_MUTATION = `mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }`;

/** The token of the link in a mail, from its text body; the HTML body carries the same link. */
function linkToken(mail: ParsedMail, path: string): string {
  const match = new RegExp(`${APP_URL}${path}\\?token=([A-Za-z0-9_-]{43})`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  expect(mail.html).toContain(`href="${APP_URL}${path}?token=${match[1]}"`);
  return match[1];
}

const recipient = (mail: ParsedMail) => [mail.to].flat().map((to) => to?.text)[0];
const errorOf = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions;

async function withServer(env: Env, run: (server: TestServer) => Promise<void>, options?: Parameters<typeof startTestServer>[1]) {
  const server = await startTestServer(env, options);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

describe('self-service accounts, mailed through a real SMTP server', () => {
  let smtp: SmtpSink;
  let server: TestServer;
  let counter = 0;
  const unique = () => `u${Date.now().toString(36)}${(counter++).toString(36)}`;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // Mail limits are off here (every request comes from 127.0.0.1); their own test below turns them on.
    server = await startTestServer(
      clusterEnv({ SIGNUP_POLICY: 'open', SMTP_URL: smtp.url, MAIL_FROM: 'Auth <no-reply@auth.example>', APP_URL, BRUTE_FORCE_PROTECTION: 'false', ...ADMIN }),
    );
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  async function signUp(username: string, email: string, extra: Record<string, unknown> = {}) {
    return server.call(SIGN_UP, { variables: { input: { username, email, password: PASSWORD, ...extra } } });
  }

  it('signs up, mails a verification link, refuses login until it is followed, then logs in', async () => {
    const username = unique();
    const email = `${username}@Example.COM`;
    expect((await signUp(username, email)).data).toEqual({ signUp: true });
    const mail = await smtp.nextMail();
    expect({ to: recipient(mail), subject: mail.subject }).toEqual({ to: email.toLowerCase(), subject: 'Confirm your email address' });
    const token = linkToken(mail, '/verify-email');

    const refused = await server.call(LOGIN_MUTATION, { variables: { input: { username, password: PASSWORD } } });
    expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });

    expect((await server.call(VERIFY, { variables: { token } })).data).toEqual({ verifyEmail: true });
    const { accessToken } = await login(server.call, username, PASSWORD);
    expect((await server.call(ME, { token: accessToken })).data).toEqual({
      me: { username, email: email.toLowerCase(), emailVerified: true, authorities: [] },
    });
    // Single use.
    expect(errorOf(await server.call(VERIFY, { variables: { token } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('answers a sign-up with a known address exactly as a new one, creates nothing, and tells the owner', async () => {
    const owner = unique();
    await signUp(owner, `${owner}@example.com`);
    await smtp.nextMail();
    const intruder = unique();
    const answer = await signUp(intruder, `${owner}@example.com`);
    expect({ status: answer.status, data: answer.data, errors: answer.errors }).toEqual({ status: 200, data: { signUp: true }, errors: undefined });
    const notice = await smtp.nextMail();
    expect({ to: recipient(notice), subject: notice.subject }).toEqual({ to: `${owner}@example.com`, subject: 'Someone tried to sign up with your address' });
    expect(notice.text).toContain(`${APP_URL}/forgot-password`);
    const noAccount = await server.call(LOGIN_MUTATION, { variables: { input: { username: intruder, password: PASSWORD } } });
    expect(errorOf(noAccount)?.code).toBe('UNAUTHENTICATED');
  });

  it('says a taken username is taken: usernames are public', async () => {
    const username = unique();
    await signUp(username, `${username}@example.com`);
    await smtp.nextMail();
    expect(errorOf(await signUp(username, `${unique()}@example.com`))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
  });

  it('resets a forgotten password by mail: sessions revoked, the link single use, unknown addresses mailed nothing', async () => {
    const username = unique();
    const email = `${username}@example.com`;
    await signUp(username, email);
    await server.call(VERIFY, { variables: { token: linkToken(await smtp.nextMail(), '/verify-email') } });
    const before = await login(server.call, username, PASSWORD);

    // An unknown address gets the same answer and no mail: the next mail to arrive is the known one's.
    expect((await server.call(REQUEST_RESET, { variables: { email: `${unique()}@example.com` } })).data).toEqual({ requestPasswordReset: true });
    expect((await server.call(REQUEST_RESET, { variables: { email } })).data).toEqual({ requestPasswordReset: true });
    const mail = await smtp.nextMail();
    expect({ to: recipient(mail), subject: mail.subject }).toEqual({ to: email, subject: 'Reset your password' });
    const token = linkToken(mail, '/reset-password');

    // A password the policy refuses leaves the link usable.
    expect(errorOf(await server.call(RESET, { variables: { token, newPassword: 'short' } }))).toMatchObject({ field: 'newPassword' });
    expect((await server.call(RESET, { variables: { token, newPassword: 'a brand new passphrase' } })).data).toEqual({ resetPassword: true });
    expect(errorOf(await server.call(ME, { token: before.accessToken }))?.code).toBe('UNAUTHENTICATED');
    await login(server.call, username, 'a brand new passphrase');
    expect(errorOf(await server.call(RESET, { variables: { token, newPassword: 'yet another passphrase' } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
  });

  it('kills a reset link when the password changes by another route', async () => {
    const username = unique();
    const email = `${username}@example.com`;
    await signUp(username, email);
    await server.call(VERIFY, { variables: { token: linkToken(await smtp.nextMail(), '/verify-email') } });
    await server.call(REQUEST_RESET, { variables: { email } });
    const token = linkToken(await smtp.nextMail(), '/reset-password');
    const { accessToken } = await login(server.call, username, PASSWORD);
    const changed = await server.call(`mutation { changePassword(currentPassword: "${PASSWORD}", newPassword: "changed by the owner") }`, { token: accessToken });
    expect(changed.data).toEqual({ changePassword: true });
    expect(errorOf(await server.call(RESET, { variables: { token, newPassword: 'the attacker wants this' } }))?.field).toBe('token');
    await login(server.call, username, 'changed by the owner');
  });

  it('moves an account to a new address only once the link mailed there is followed', async () => {
    const username = unique();
    await signUp(username, `${username}@example.com`);
    await server.call(VERIFY, { variables: { token: linkToken(await smtp.nextMail(), '/verify-email') } });
    const { accessToken } = await login(server.call, username, PASSWORD);
    const wrongPassword = await server.call(CHANGE_EMAIL, { variables: { newEmail: `${username}-new@example.com`, currentPassword: 'not it' }, token: accessToken });
    expect(errorOf(wrongPassword)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    expect((await server.call(CHANGE_EMAIL, { variables: { newEmail: `${username}-new@example.com`, currentPassword: PASSWORD }, token: accessToken })).data).toEqual({
      changeEmail: true,
    });
    const mail = await smtp.nextMail();
    expect({ to: recipient(mail), subject: mail.subject }).toEqual({ to: `${username}-new@example.com`, subject: 'Confirm your new email address' });
    expect((await server.call(ME, { token: accessToken })).data?.me.email).toBe(`${username}@example.com`);
    await server.call(VERIFY, { variables: { token: linkToken(mail, '/verify-email') } });
    expect((await server.call(ME, { token: accessToken })).data?.me).toMatchObject({ email: `${username}-new@example.com`, emailVerified: true });
  });

  it("signs up with an administrator's invitation: verified from the start, with its authorities, once", async () => {
    const admin = await login(server.call, 'admin', 'admin-password-123');
    const email = `${unique()}@example.com`;
    expect((await server.call(INVITE, { variables: { email, authorities: ['orders:read'] }, token: admin.accessToken })).data).toEqual({ inviteUser: true });
    const mail = await smtp.nextMail();
    expect({ to: recipient(mail), subject: mail.subject }).toEqual({ to: email, subject: 'You are invited to create an account' });
    const inviteToken = linkToken(mail, '/accept-invitation');
    const username = unique();
    expect((await signUp(username, email, { inviteToken })).data).toEqual({ signUp: true });
    // The invitation proved the address: no verification needed, and its authorities granted.
    const { accessToken } = await login(server.call, username, PASSWORD);
    expect((await server.call(ME, { token: accessToken })).data?.me).toMatchObject({ emailVerified: true, authorities: ['orders:read'] });
    expect(errorOf(await signUp(unique(), email, { inviteToken }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inviteToken' });
  });
});

describe('sign-up policies and a mail server that is down', () => {
  it('refuses sign-up while it is closed (the default)', async () => {
    await withServer(clusterEnv(), async (server) => {
      const answer = await server.call(SIGN_UP, { variables: { input: { username: 'closedcase', email: 'closed@example.com', password: PASSWORD } } });
      expect(errorOf(answer)).toMatchObject({ code: 'FORBIDDEN', reason: 'SIGNUP_CLOSED' });
    });
  });

  it('asks for an invitation under the invite policy', async () => {
    const smtp = await startSmtpSink();
    try {
      await withServer(clusterEnv({ SIGNUP_POLICY: 'invite', SMTP_URL: smtp.url, APP_URL }), async (server) => {
        const answer = await server.call(SIGN_UP, { variables: { input: { username: 'uninvited', email: 'uninvited@example.com', password: PASSWORD } } });
        expect(errorOf(answer)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inviteToken' });
      });
    } finally {
      await smtp.close();
    }
  });

  it('limits the mails one address can be sent, known or not, and the mail requests of one client address', async () => {
    const smtp = await startSmtpSink();
    try {
      await withServer(clusterEnv({ SIGNUP_POLICY: 'open', SMTP_URL: smtp.url, APP_URL }), async (server) => {
        const reset = (email: string) => server.call(REQUEST_RESET, { variables: { email } });
        const answers = [];
        for (let attempt = 0; attempt < 4; attempt++) answers.push(await reset('nobody-here@example.com'));
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
        expect(errorOf(answers[3])).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 900 });
        // Other addresses from the same client: three counted so far (the refused one is not), twenty allowed.
        const others = [];
        for (let attempt = 0; attempt < 18; attempt++) others.push((await reset(`someone-${attempt}@example.com`)).status);
        expect(others).toEqual([...Array<number>(17).fill(200), 429]);
      });
    } finally {
      await smtp.close();
    }
  });

  it('answers at once while the mail server is down, and delivers once it is back', async () => {
    const port = await freePort();
    await withServer(clusterEnv({ SIGNUP_POLICY: 'open', SMTP_URL: `smtp://127.0.0.1:${port}`, APP_URL }), async (server) => {
      const answer = await server.call(SIGN_UP, { variables: { input: { username: 'patient', email: 'patient@example.com', password: PASSWORD } } });
      expect(answer.data).toEqual({ signUp: true });
      const smtp = await startSmtpSink({ port });
      try {
        const mail = await smtp.nextMail();
        expect(recipient(mail)).toBe('patient@example.com');
        linkToken(mail, '/verify-email');
      } finally {
        await smtp.close();
      }
    });
  });

  it('refuses reset and verification links once their lifetimes have passed, by the server clock', async () => {
    const smtp = await startSmtpSink();
    const clock = new ManualClock(Date.now());
    try {
      // The in-memory store: its tokens expire by the injected clock.
      await withServer(
        { NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent', SIGNUP_POLICY: 'open', SMTP_URL: smtp.url, APP_URL },
        async (server) => {
          await server.call(SIGN_UP, { variables: { input: { username: 'late', email: 'late@example.com', password: PASSWORD } } });
          const verification = linkToken(await smtp.nextMail(), '/verify-email');
          await server.call(REQUEST_RESET, { variables: { email: 'late@example.com' } });
          const reset = linkToken(await smtp.nextMail(), '/reset-password');
          // PASSWORD_RESET_TTL (30 minutes) has passed: the reset link is dead, the verification link not yet.
          clock.advance(30 * 60_000);
          expect(errorOf(await server.call(RESET, { variables: { token: reset, newPassword: 'too late for this' } }))).toMatchObject({
            code: 'BAD_USER_INPUT',
            field: 'token',
          });
          // EMAIL_VERIFICATION_TTL (24 hours) has passed too.
          clock.advance(24 * 3_600_000 - 30 * 60_000);
          expect(errorOf(await server.call(VERIFY, { variables: { token: verification } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
        },
        { clock },
      );
    } finally {
      await smtp.close();
    }
  });
});
