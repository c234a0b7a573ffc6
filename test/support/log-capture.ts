import pino, { type Logger } from 'pino';

export type LogLine = Record<string, unknown> & { readonly msg: string; readonly level: number };

/** A real pino logger whose lines the test reads, and can wait for. */
export interface LogCapture {
  readonly logger: Logger;
  readonly lines: readonly LogLine[];
  /** The first line, logged already or still to come, that matches. */
  waitFor(matches: (line: LogLine) => boolean): Promise<LogLine>;
}

export function captureLog(): LogCapture {
  const lines: LogLine[] = [];
  const waiters: { matches: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(text: string) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of waiters.filter((candidate) => candidate.matches(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      },
    },
  );
  return {
    logger,
    lines,
    waitFor: (matches) => {
      const logged = lines.find(matches);
      return logged ? Promise.resolve(logged) : new Promise((resolve) => waiters.push({ matches, resolve }));
    },
  };
}
