import { resolveUser } from '../resolve-user';
import { plural } from '../text-format';
import { userRef } from '../views';
import type { Command } from './command';

export const forceLogoutCommand: Command = {
  name: 'force-logout',
  synopsis: '<username|id>',
  summary: "revoke every session of a user and print how many",
  details: ['Its tokens are refused from the next request on; the account stays enabled.'],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ accounts }, args) {
    const user = await resolveUser(accounts, args.operands[0]);
    const revoked = await accounts.forceLogout(user.id);
    return { json: { user: userRef(user), revoked }, text: `${user.username}: ${plural(revoked, 'session')} revoked\n` };
  },
};
