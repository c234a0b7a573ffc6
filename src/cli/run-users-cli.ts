import type { AppConfig } from '../config/config';
import { loadConfig } from '../config/load-config';
import { NoStoreConfiguredError, UsageError } from './cli-errors';
import { type Command, COMMANDS, findCommand } from './commands';
import { ExitCode } from './exit-codes';
import { type ParsedArguments, parseArguments } from './parse-arguments';
import { type PasswordInput, readNewPassword } from './read-password';
import { describeFailure } from './report-error';
import { jsonText } from './text-format';
import { commandUsage, generalUsage, PROGRAM } from './usage';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: PasswordInput;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * `npm run users -- <command> ...`: arguments are checked before the configuration
 * is read, and the configuration before Redis is touched, so a typo costs nothing.
 * Resolves to the exit code; every error becomes one line on stderr.
 */
export async function runUsersCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const args = parseArguments(argv);
    const help = helpText(args);
    if (help !== undefined) {
      io.stdout.write(help);
      return ExitCode.ok;
    }
    const command = chosenCommand(args);
    return await execute(command, args, loadConfig(io.env), io);
  } catch (error) {
    const { exitCode, message } = describeFailure(error);
    io.stderr.write(`error: ${message}\n`);
    return exitCode;
  }
}

async function execute(command: Command, args: ParsedArguments, config: AppConfig, io: CliIo): Promise<ExitCode> {
  if (config.store === 'memory') throw new NoStoreConfiguredError();
  // Loaded only now: help and usage errors answer without loading ioredis, bcrypt and the rest.
  const { openStore } = await import('./open-store');
  const store = await openStore(config);
  try {
    const context = { ...store.services, readPassword: (username: string) => readNewPassword(io.stdin, io.stderr, username) };
    const result = await command.run(context, args);
    io.stdout.write(args.json ? jsonText(result.json) : result.text);
    return ExitCode.ok;
  } finally {
    await store.close();
  }
}

/** Usage text when asked for: `help`, `help <command>`, `--help`, `<command> --help`. */
function helpText(args: ParsedArguments): string | undefined {
  if (args.command === 'help') {
    if (args.operands.length > 1) throw new UsageError('help takes at most one command name');
    return args.operands.length === 0 ? generalUsage(COMMANDS) : commandUsage(known(args.operands[0]));
  }
  if (!args.help) return undefined;
  return args.command === undefined ? generalUsage(COMMANDS) : commandUsage(known(args.command));
}

function chosenCommand(args: ParsedArguments): Command {
  if (args.command === undefined) throw new UsageError(`no command given; run "${PROGRAM} --help" for the list`);
  const command = known(args.command);
  const { min, max } = command.operands;
  const count = args.operands.length;
  if (count < min) throw new UsageError(`${command.name}: missing argument; usage: ${command.name} ${command.synopsis}`);
  if (count > max) {
    // The extra arguments are not repeated: one of them may be a password typed where it does not belong.
    throw new UsageError(
      `${command.name}: too many arguments (${count}, at most ${max}); usage: ${command.name} ${command.synopsis}` +
        (command.name === 'create' ? '; the password is never an argument: it is read from the terminal or stdin' : ''),
    );
  }
  for (const option of args.given) {
    if (!command.options.includes(option)) throw new UsageError(`${command.name} does not take --${option}`);
  }
  command.validate?.(args);
  return command;
}

function known(name: string): Command {
  const command = findCommand(name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; run "${PROGRAM} --help" for the list`);
  return command;
}
