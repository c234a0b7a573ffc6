import { ConfigError } from '../config/config-error';
import { AuthServiceError, BadUserInputError, ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { CliError } from './cli-errors';
import { ExitCode } from './exit-codes';
import { safeText } from './text-format';

export interface Failure {
  readonly exitCode: ExitCode;
  /** One line, no stack trace. */
  readonly message: string;
}

/** The one place errors become exit codes. The service's own messages are shown as they are. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return failure(error.exitCode, error.message);
  if (error instanceof ConfigError) return failure(ExitCode.usage, `invalid configuration: ${error.problems.join('; ')}`);
  if (error instanceof BadUserInputError) return failure(ExitCode.rejected, error.message);
  if (error instanceof ServiceUnavailableError) return failure(ExitCode.unavailable, error.message);
  if (error instanceof AuthServiceError) return failure(ExitCode.rejected, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return failure(ExitCode.rejected, `unexpected error: ${message}`);
}

function failure(exitCode: ExitCode, message: string): Failure {
  return { exitCode, message: safeText(message.replace(/\s*\n\s*/g, ' ')) };
}
