import { resolveUser } from '../resolve-user';
import { sessionsTableText, sessionView, userRef } from '../views';
import type { Command } from './command';

export const sessionsCommand: Command = {
  name: 'sessions',
  synopsis: '<username|id>',
  summary: "a user's live sessions, newest first",
  details: [],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ accounts, sessions }, args) {
    const user = await resolveUser(accounts, args.operands[0]);
    const live = (await sessions.list(user.id)).map(sessionView);
    return { json: { user: userRef(user), sessions: live }, text: sessionsTableText(live) };
  },
};
