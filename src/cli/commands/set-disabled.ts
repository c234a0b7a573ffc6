import { resolveUser } from '../resolve-user';
import { userView } from '../views';
import type { Command } from './command';

/** `disable` and `enable`: the service revokes every session when it disables. */
function setDisabledCommand(disabled: boolean): Command {
  return {
    name: disabled ? 'disable' : 'enable',
    synopsis: '<username|id>',
    summary: disabled ? 'disable a user and revoke all of its sessions' : 'let a disabled user log in again',
    details: [],
    options: [],
    operands: { min: 1, max: 1 },
    async run({ accounts }, args) {
      const record = await resolveUser(accounts, args.operands[0]);
      const user = userView(await accounts.setDisabled(record.id, disabled));
      const text = disabled ? `${user.username} is disabled; all of its sessions were revoked\n` : `${user.username} is enabled\n`;
      return { json: user, text };
    },
  };
}

export const disableCommand = setDisabledCommand(true);
export const enableCommand = setDisabledCommand(false);
