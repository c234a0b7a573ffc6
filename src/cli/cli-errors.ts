import { ExitCode } from './exit-codes';

/** A failure the CLI itself detects; carries its exit code so one place maps errors to exits. */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong command line: unknown command or option, missing or extra arguments, `--password`. */
export class UsageError extends CliError {
  readonly exitCode = ExitCode.usage;
}

/** The configuration names no store: the in-memory store of a one-command process is of no use. */
export class NoStoreConfiguredError extends CliError {
  readonly exitCode = ExitCode.usage;

  constructor() {
    super(
      'No store configured: set REDIS_CLUSTER_NODES (or REDIS_URL) and REDIS_KEY_PREFIX, or DATABASE_URL, as for the service. ' +
        "The CLI refuses the in-memory store: it would live and die with this one command, and the service's accounts are not in it",
    );
  }
}

/** No user with that username or id. */
export class UserNotFoundError extends CliError {
  readonly exitCode = ExitCode.rejected;
}

/** Input the CLI refuses before the service sees it (no password given, passwords differ). */
export class RejectedInputError extends CliError {
  readonly exitCode = ExitCode.rejected;
}

export class InterruptedError extends CliError {
  readonly exitCode = ExitCode.interrupted;

  constructor() {
    super('interrupted');
  }
}

/** The mail server did not take a mail (down, or it refused it): nothing was sent. */
export class MailNotSentError extends CliError {
  readonly exitCode = ExitCode.unavailable;
}
