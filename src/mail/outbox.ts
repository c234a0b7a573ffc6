import type { Logger } from 'pino';
import { type MailMessage, maskedAddress } from './mail-message';
import type { MailTransport } from './mail-transport';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Wait before the second attempt; doubled for each one after, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** About ten minutes of trying: 1 s, 2 s, 4 s ... then every 2 minutes. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 10, firstDelayMs: 1_000, maxDelayMs: 120_000 };

export interface Outbox {
  /**
   * Takes a mail to send in the background and returns at once: a request never waits
   * on the mail server. A failed attempt is logged and retried; a mail given up on is
   * logged as an error.
   */
  post(message: MailMessage): void;
  /**
   * Waits for attempts under way; what is still waiting for a retry is logged as unsent.
   * Resolves to how many mails were never sent (given up on, or dropped here).
   */
  close(): Promise<number>;
  /** Mails accepted but not yet sent or given up on. */
  readonly pending: number;
}

/**
 * Mails live only in this process, by design: they carry tokens, which the store keeps
 * as hashes alone, so a mail is never written anywhere to wait. A mail the server
 * refuses for good (a 5xx reply: no such mailbox) is not retried.
 */
export function createOutbox(transport: MailTransport, logger: Logger, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Outbox {
  const waiting = new Map<NodeJS.Timeout, MailMessage>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  let unsent = 0;

  const attempt = (message: MailMessage, number: number): void => {
    const sending = transport.send(message).then(
      () => logger.info({ kind: message.kind, to: maskedAddress(message.to), attempt: number }, 'mail sent'),
      (error: unknown) => failed(message, number, error),
    );
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
  };

  const failed = (message: MailMessage, number: number, error: unknown): void => {
    const about = { kind: message.kind, to: maskedAddress(message.to), attempt: number, reason: reasonOf(error) };
    if (isPermanent(error) || number >= policy.attempts || closed) {
      unsent += 1;
      logger.error(about, 'mail not sent: given up');
      return;
    }
    const delayMs = Math.min(policy.firstDelayMs * 2 ** (number - 1), policy.maxDelayMs);
    logger.warn({ ...about, retryInMs: delayMs }, 'mail not sent: will retry');
    const timer = setTimeout(() => {
      waiting.delete(timer);
      attempt(message, number + 1);
    }, delayMs);
    waiting.set(timer, message);
  };

  return {
    post(message) {
      if (closed) {
        unsent += 1;
        logger.error({ kind: message.kind, to: maskedAddress(message.to) }, 'mail not sent: the server is shutting down');
        return;
      }
      // The first attempt starts once the current request has answered: building the message
      // and opening the connection are none of its time (nor a hint of whether it mailed).
      const starting = new Promise<void>((resolve) =>
        setImmediate(() => {
          attempt(message, 1);
          resolve();
        }),
      );
      inFlight.add(starting);
      void starting.finally(() => inFlight.delete(starting));
    },
    get pending() {
      return waiting.size + inFlight.size;
    },
    async close() {
      closed = true;
      for (const [timer, message] of waiting) {
        clearTimeout(timer);
        unsent += 1;
        logger.error({ kind: message.kind, to: maskedAddress(message.to) }, 'mail not sent: the server shut down before its retry');
      }
      waiting.clear();
      // A starting attempt adds the attempt it starts: wait until none is left.
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      transport.close();
      return unsent;
    },
  };
}

/** SMTP's own reply code when the server gave one, else the error's code or name; never the mail. */
function reasonOf(error: unknown): string {
  const { responseCode, code, name } = (error ?? {}) as { responseCode?: number; code?: string; name?: string };
  return responseCode !== undefined ? `SMTP ${responseCode}` : (code ?? name ?? 'unknown');
}

function isPermanent(error: unknown): boolean {
  const { responseCode } = (error ?? {}) as { responseCode?: number };
  return typeof responseCode === 'number' && responseCode >= 500;
}
