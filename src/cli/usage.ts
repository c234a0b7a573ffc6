import type { Command } from './commands';
import { ExitCode } from './exit-codes';

export const PROGRAM = 'npm run users --';

export function generalUsage(commands: readonly Command[]): string {
  const entries = [
    ...commands.map((command) => [`${command.name} ${command.synopsis}`, command.summary]),
    ['help [command]', "this text, or one command's"],
  ];
  return [
    `Usage: ${PROGRAM} <command> [arguments] [--json]`,
    '',
    'Administers the accounts, their sessions and second factors in the store the configuration',
    'names: the same environment as the service (REDIS_CLUSTER_NODES or REDIS_URL, REDIS_PASSWORD,',
    'REDIS_TLS and its files, REDIS_KEY_PREFIX, BCRYPT_COST, ...).',
    '',
    'Commands:',
    ...entries.flatMap(([synopsis, summary]) => [`  ${synopsis}`, `      ${summary}`]),
    '',
    'Options:',
    '  --json      print the result as JSON on stdout (run as npm run -s users, so npm adds no banner)',
    '  -h, --help  usage of the command',
    '',
    exitCodesLine(),
    '',
  ].join('\n');
}

export function commandUsage(command: Command): string {
  return [
    `Usage: ${PROGRAM} ${command.name} ${command.synopsis} [--json]`,
    '',
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details.length > 0 ? ['', ...command.details] : []),
    '',
    exitCodesLine(),
    '',
  ].join('\n');
}

function exitCodesLine(): string {
  return (
    `Exit codes: ${ExitCode.ok} done, ${ExitCode.rejected} not found or input rejected, ` +
    `${ExitCode.usage} usage or configuration error, ${ExitCode.unavailable} store unavailable.`
  );
}
