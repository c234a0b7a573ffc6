import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors';

/** Options that only some commands take; `--json` and `--help` are accepted everywhere. */
export type CommandOption = 'authority' | 'first' | 'after' | 'none';

export interface ParsedArguments {
  /** The first operand, if any: the command's name. */
  readonly command: string | undefined;
  /** Operands after the command's name. */
  readonly operands: readonly string[];
  readonly json: boolean;
  readonly help: boolean;
  readonly authorities: readonly string[];
  readonly first: string | undefined;
  readonly after: string | undefined;
  readonly none: boolean;
  /** Which command options were given, for the command to check against what it takes. */
  readonly given: ReadonlySet<CommandOption>;
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  authority: { type: 'string', multiple: true },
  first: { type: 'string' },
  after: { type: 'string' },
  none: { type: 'boolean' },
} as const;

export const PASSWORD_OPTION_REFUSED =
  '--password is refused: a password on the command line is visible to other users (ps, /proc) and kept in shell history. ' +
  'Type it at the prompt, or pipe it as the first line of stdin';

/** Parses the command line; throws UsageError, never echoing what follows an `=`, which might be a secret. */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  if (argv.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(PASSWORD_OPTION_REFUSED);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  const given = new Set<CommandOption>();
  if (values.authority !== undefined) given.add('authority');
  if (values.first !== undefined) given.add('first');
  if (values.after !== undefined) given.add('after');
  if (values.none !== undefined) given.add('none');
  return {
    command: positionals[0],
    operands: positionals.slice(1),
    json: values.json ?? false,
    help: values.help ?? false,
    authorities: values.authority ?? [],
    first: values.first,
    after: values.after,
    none: values.none ?? false,
    given,
  };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /Unknown option '([^'=]+)/.exec(message)?.[1];
    if (option !== undefined) return `unknown option ${option}`;
  }
  return message.replace(/\s*\n\s*/g, ' ');
}
