import { resolveUser } from '../resolve-user';
import { plural } from '../text-format';
import { sessionsTableText, sessionView, userFieldsText, userView } from '../views';
import type { Command } from './command';

export const showCommand: Command = {
  name: 'show',
  synopsis: '<username|id>',
  summary: 'one user and its live sessions',
  details: [],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ accounts, sessions }, args) {
    const record = await resolveUser(accounts, args.operands[0]);
    const user = userView(record);
    const live = (await sessions.list(record.id)).map(sessionView);
    const text = `${userFieldsText(user)}\n${plural(live.length, 'live session')}\n${live.length > 0 ? sessionsTableText(live) : ''}`;
    return { json: { user, sessions: live }, text };
  },
};
