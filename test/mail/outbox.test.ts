import { createServer, type Server, type Socket } from 'node:net';
import { createOutbox, type RetryPolicy } from '../../src/mail/outbox';
import { createSmtpTransport } from '../../src/mail/mail-transport';
import type { MailMessage } from '../../src/mail/mail-message';
import { captureLog } from '../support/log-capture';
import { freePort, startSmtpSink, type SmtpSink } from '../support/smtp-sink';

const FROM = 'Auth service <no-reply@auth.example>';
const QUICK_RETRIES: RetryPolicy = { attempts: 4, firstDelayMs: 50, maxDelayMs: 200 };
const SECRET_LINK = 'https://app.example/verify-email?token=secret-token-123';

const message = (to = 'ada@example.com'): MailMessage => ({
  kind: 'verify-email',
  to,
  subject: 'Confirm your address',
  text: `Open ${SECRET_LINK}`,
  html: `<p><a href="${SECRET_LINK}">Confirm</a></p>`,
});

describe('the outbox, against a real SMTP server', () => {
  const sinks: SmtpSink[] = [];
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });
  const sink = async (options?: Parameters<typeof startSmtpSink>[0]) => {
    const started = await startSmtpSink(options);
    sinks.push(started);
    return started;
  };

  it('delivers the subject, the text and the HTML body from MAIL_FROM, without waiting for the server', async () => {
    const server = await sink();
    const log = captureLog();
    const outbox = createOutbox(createSmtpTransport({ url: server.url, from: FROM, timeoutMs: 2_000 }), log.logger, QUICK_RETRIES);
    outbox.post(message());
    // post returned before the server said anything: the mail is still under way.
    expect(outbox.pending).toBe(1);
    const mail = await server.nextMail();
    expect({ from: mail.from?.text, to: [mail.to].flat().map((to) => to?.text), subject: mail.subject, text: mail.text?.trim() }).toEqual({
      from: '"Auth service" <no-reply@auth.example>',
      to: ['ada@example.com'],
      subject: 'Confirm your address',
      text: `Open ${SECRET_LINK}`,
    });
    expect(mail.html).toContain(`<a href="${SECRET_LINK}">`);
    const sent = await log.waitFor((line) => line.msg === 'mail sent');
    expect(sent).toMatchObject({ kind: 'verify-email', to: 'a***@example.com', attempt: 1 });
    await outbox.close();
    // The token in the mail never reaches the log.
    expect(log.lines.some((line) => JSON.stringify(line).includes('secret-token-123'))).toBe(false);
  });

  it('retries while the mail server is down and delivers once it is back', async () => {
    const port = await freePort();
    const log = captureLog();
    const outbox = createOutbox(createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 2_000 }), log.logger, {
      ...QUICK_RETRIES,
      attempts: 50,
    });
    outbox.post(message());
    const retrying = await log.waitFor((line) => line.msg === 'mail not sent: will retry');
    expect(retrying).toMatchObject({ attempt: 1, reason: 'ESOCKET', to: 'a***@example.com' });
    const server = await sink({ port });
    const mail = await server.nextMail();
    expect(mail.subject).toBe('Confirm your address');
    const sent = await log.waitFor((line) => line.msg === 'mail sent');
    expect(sent.attempt).toBeGreaterThan(1);
    await outbox.close();
  });

  it('does not retry a mail the server refuses for good (5xx), and logs it as an error', async () => {
    const server = await sink({ refuse: 550 });
    const log = captureLog();
    const outbox = createOutbox(createSmtpTransport({ url: server.url, from: FROM, timeoutMs: 2_000 }), log.logger, QUICK_RETRIES);
    outbox.post(message('nobody@example.com'));
    const givenUp = await log.waitFor((line) => line.msg === 'mail not sent: given up');
    expect(givenUp).toMatchObject({ level: 50, attempt: 1, reason: 'SMTP 550', to: 'n***@example.com' });
    expect(log.lines.filter((line) => line.msg === 'mail not sent: will retry')).toEqual([]);
    await outbox.close();
  });

  it('bounds an attempt on a server that accepts the connection and never answers, then retries', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as { port: number };
    const log = captureLog();
    const outbox = createOutbox(createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 300 }), log.logger, QUICK_RETRIES);
    try {
      outbox.post(message());
      const retrying = await log.waitFor((line) => line.msg === 'mail not sent: will retry');
      expect(retrying).toMatchObject({ attempt: 1, reason: 'ETIMEDOUT' });
      await outbox.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('logs a mail still waiting for its retry at shutdown as not sent', async () => {
    const port = await freePort();
    const log = captureLog();
    const outbox = createOutbox(createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 2_000 }), log.logger, {
      attempts: 5,
      firstDelayMs: 60_000,
      maxDelayMs: 60_000,
    });
    outbox.post(message());
    await log.waitFor((line) => line.msg === 'mail not sent: will retry');
    expect(await outbox.close()).toBe(1);
    expect(log.lines.find((line) => line.msg === 'mail not sent: the server shut down before its retry')).toMatchObject({
      level: 50,
      kind: 'verify-email',
      to: 'a***@example.com',
    });
    expect(outbox.pending).toBe(0);
  });
});
