import { UsageError } from '../cli-errors';
import { resolveUser } from '../resolve-user';
import { authoritiesText, userView } from '../views';
import type { Command } from './command';

export const setAuthoritiesCommand: Command = {
  name: 'set-authorities',
  synopsis: '<username|id> (<authority>... | --none)',
  summary: "replace a user's authorities (live tokens see it on their next request)",
  details: ['--none   remove every authority'],
  options: ['none'],
  operands: { min: 1, max: Infinity },
  validate(args) {
    const authorities = args.operands.length - 1;
    if (args.none && authorities > 0) throw new UsageError('set-authorities takes either authorities or --none, not both');
    if (!args.none && authorities === 0) throw new UsageError('set-authorities needs at least one authority, or --none to remove them all');
  },
  async run({ accounts }, args) {
    const [usernameOrId, ...authorities] = args.operands;
    const record = await resolveUser(accounts, usernameOrId);
    const user = userView(await accounts.setAuthorities(record.id, authorities));
    return { json: user, text: `${user.username}: authorities ${authoritiesText(user.authorities)}\n` };
  },
};
