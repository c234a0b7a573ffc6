import type { LoginThrottle } from '../../brute-force/login-throttle';
import type { SecondFactorStore } from '../../second-factors/second-factor-store';
import type { SessionService } from '../../sessions/session-service';
import type { AccountService } from '../../users/account-service';
import type { CommandOption, ParsedArguments } from '../parse-arguments';

/** What a command works with: the same services the GraphQL resolvers call. */
export interface CommandContext {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly loginThrottle: LoginThrottle;
  /** Every user's second factors: what an administrator's reset removes. */
  readonly secondFactors: SecondFactorStore;
  /**
   * Mails an invitation (as the inviteUser mutation does) and waits until the mail server
   * took it; answers the normalised address. Throws when it could not be sent.
   */
  readonly invite: (email: string, authorities: readonly string[]) => Promise<string>;
  /** Reads the new user's password from the terminal or stdin. */
  readonly readPassword: (username: string) => Promise<string>;
}

/** Both forms of a result; the runner prints the one `--json` asks for. */
export interface CommandResult {
  readonly json: unknown;
  readonly text: string;
}

export interface Command {
  readonly name: string;
  /** The arguments after the name, as usage shows them: `<username|id> <authority>...`. */
  readonly synopsis: string;
  /** One line for the command list. */
  readonly summary: string;
  /** More lines for `<command> --help`. */
  readonly details: readonly string[];
  /** Command options it takes, beyond `--json` and `--help`. */
  readonly options: readonly CommandOption[];
  readonly operands: { readonly min: number; readonly max: number };
  /** Checks what the generic checks cannot; throws UsageError. Runs before any configuration is read. */
  readonly validate?: (args: ParsedArguments) => void;
  readonly run: (context: CommandContext, args: ParsedArguments) => Promise<CommandResult>;
}
