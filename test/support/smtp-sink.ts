import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A real SMTP server inside the test: every mail it accepts, parsed. */
export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  /** The next mail accepted (in order of arrival). */
  nextMail(): Promise<ParsedMail>;
  close(): Promise<void>;
}

/**
 * Plain SMTP on loopback (no STARTTLS, any login accepted). `refuse` answers every
 * recipient with that SMTP code instead of accepting the mail.
 */
export async function startSmtpSink(options: { port?: number; refuse?: number } = {}): Promise<SmtpSink> {
  const arrived: ParsedMail[] = [];
  const waiting: ((mail: ParsedMail) => void)[] = [];
  const serverOptions: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
    onRcptTo: (_address, _session, callback) => {
      if (options.refuse === undefined) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: options.refuse }));
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          const waiter = waiting.shift();
          if (waiter) waiter(mail);
          else arrived.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    nextMail: () => {
      const mail = arrived.shift();
      return mail ? Promise.resolve(mail) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on (taken and released), for a mail server that is down. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
