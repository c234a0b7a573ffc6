import type { Command } from './command';
import { createCommand } from './create';
import { forceLogoutCommand } from './force-logout';
import { inviteCommand } from './invite';
import { listCommand } from './list';
import { resetMfaCommand } from './reset-mfa';
import { sessionsCommand } from './sessions';
import { setAuthoritiesCommand } from './set-authorities';
import { disableCommand, enableCommand } from './set-disabled';
import { showCommand } from './show';
import { unlockCommand } from './unlock';

/** Every command, in the order usage lists them. */
export const COMMANDS: readonly Command[] = [
  createCommand,
  inviteCommand,
  listCommand,
  showCommand,
  setAuthoritiesCommand,
  disableCommand,
  enableCommand,
  forceLogoutCommand,
  resetMfaCommand,
  unlockCommand,
  sessionsCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export type { Command, CommandContext, CommandResult } from './command';
