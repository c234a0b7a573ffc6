import { AuthenticatorApp } from '../support/authenticator-app';
import { CONFIRM_TOTP, ENROLL_TOTP, signIn } from '../support/second-factor-calls';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ORIGIN = 'http://localhost:5173';
const APP_URL = 'https://app.example';

describe('mails to the owner when second factors change, through a real SMTP server', () => {
  let smtp: SmtpSink;
  let server: TestServer;
  let counter = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer(clusterEnv({ SMTP_URL: smtp.url, MAIL_FROM: 'Auth <no-reply@auth.example>', APP_URL, REQUIRE_VERIFIED_EMAIL: 'false' }));
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  async function newUser(email: { address: string; verified: boolean } | undefined) {
    const username = `note${Date.now().toString(36)}${(counter++).toString(36)}`;
    await server.deps.accounts.create({ username, password: PASSWORD, ...(email && { email: email.address, emailVerified: email.verified }) });
    return { username, accessToken: (await signIn(server.call, username, PASSWORD)).accessToken };
  }

  it('tells a verified address that an app was set up and a passkey added, with where to reset the password', async () => {
    const address = `owner${Date.now().toString(36)}@example.com`;
    const { username, accessToken } = await newUser({ address, verified: true });

    const app = new AuthenticatorApp((await server.call(ENROLL_TOTP, { token: accessToken })).data.enrollTotp.otpauthUrl);
    expect((await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(Date.now()) } })).errors).toBeUndefined();
    const appMail = await smtp.nextMail();
    expect({ to: [appMail.to].flat()[0]?.text, subject: appMail.subject }).toEqual({ to: address, subject: 'The second factors of your account changed' });
    expect(appMail.text).toContain(`Hello ${username},`);
    expect(appMail.text).toContain('An authenticator app was set up for your account');
    expect(appMail.text).toContain(`${APP_URL}/forgot-password`);

    // The app is on: adding a passkey needs a session that used it.
    // The confirming code's step is used up: the next step's code, within the drift allowed.
    const withCode = await signIn(server.call, username, PASSWORD, app.codeAt(Date.now(), 1));
    const options = (await server.call('mutation { passkeyRegistrationOptions }', { token: withCode.accessToken })).data.passkeyRegistrationOptions;
    const registered = await server.call('mutation R($response: JSON!, $name: String) { registerPasskey(response: $response, name: $name) }', {
      token: withCode.accessToken,
      variables: { response: new SoftwareAuthenticator().create(options, ORIGIN), name: 'Work laptop' },
    });
    expect(registered.errors).toBeUndefined();
    const passkeyMail = await smtp.nextMail();
    expect(passkeyMail.text).toContain('A passkey named "Work laptop" was added to your account.');
  });

  it('mails no address that is not verified: the next notice to arrive is the verified one', async () => {
    const unverified = await newUser({ address: `unverified${Date.now().toString(36)}@example.com`, verified: false });
    const verifiedAddress = `verified${Date.now().toString(36)}@example.com`;
    const verified = await newUser({ address: verifiedAddress, verified: true });
    for (const { accessToken } of [unverified, verified]) {
      const app = new AuthenticatorApp((await server.call(ENROLL_TOTP, { token: accessToken })).data.enrollTotp.otpauthUrl);
      expect((await server.call(CONFIRM_TOTP, { token: accessToken, variables: { code: app.codeAt(Date.now()) } })).errors).toBeUndefined();
    }
    expect([(await smtp.nextMail()).to].flat()[0]?.text).toBe(verifiedAddress);
  });
});
