import { login } from '../support/graphql-caller';
import { freePort, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { clusterEnv } from '../support/test-env';
import { startTestServer } from '../support/test-server';
import { spawnUsersCli } from './spawn-users-cli';

const APP_URL = 'https://app.example';
const PASSWORD = 'invited and careful 1';

describe('npm run users -- invite, with a real SMTP server', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  afterAll(() => smtp.close());

  it('mails an invitation whose sign-up starts verified with the granted authorities', async () => {
    const env = clusterEnv({ SIGNUP_POLICY: 'invite', SMTP_URL: smtp.url, MAIL_FROM: 'Auth <no-reply@auth.example>', APP_URL });
    const run = await spawnUsersCli(['invite', 'Invitee@Example.com', '--authority', 'orders:read'], env);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: 'invitation mailed to invitee@example.com\n' });
    const mail = await smtp.nextMail();
    const token = /\/accept-invitation\?token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
    expect(mail.subject).toBe('You are invited to create an account');

    const server = await startTestServer(env);
    try {
      const signUp = await server.call(`mutation($input: SignUpInput!) { signUp(input: $input) }`, {
        variables: { input: { username: 'invitee', email: 'invitee@example.com', password: PASSWORD, inviteToken: token } },
      });
      expect(signUp.data).toEqual({ signUp: true });
      const { user } = await login(server.call, 'invitee', PASSWORD);
      expect(user.authorities).toEqual(['orders:read']);
    } finally {
      await server.close();
    }
  });

  it('exits 3 when the mail server does not take the invitation, and 1 while sign-up is closed', async () => {
    const down = await spawnUsersCli(['invite', 'late@example.com'], clusterEnv({ SIGNUP_POLICY: 'invite', SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, APP_URL }));
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('The invitation could not be mailed');
    const closed = await spawnUsersCli(['invite', 'closed@example.com'], clusterEnv({ SMTP_URL: smtp.url, APP_URL }));
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('Invitations need SIGNUP_POLICY=invite or open');
  });
});
