import { resolveUser } from '../resolve-user';
import { plural } from '../text-format';
import { userRef } from '../views';
import type { Command } from './command';

export const resetMfaCommand: Command = {
  name: 'reset-mfa',
  synopsis: '<username|id>',
  summary: "remove a user's second factors and revoke all of its sessions",
  details: [
    'Removes the authenticator app with its recovery codes (and any setup not confirmed yet) and',
    'every passkey, then revokes every session: the next login needs the password alone, and the',
    'user can set up new factors. For a user who lost them: make sure it is the user asking first.',
    'Prints how many factors were removed (the app counts as one, each passkey as one) and how many',
    'sessions were revoked.',
  ],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ accounts, secondFactors }, args) {
    const user = await resolveUser(accounts, args.operands[0]);
    // Factors first, then sessions: a login that used a factor while it was being removed still loses its session.
    const factorsRemoved = await secondFactors.removeAll(user.id);
    const sessionsRevoked = await accounts.forceLogout(user.id);
    return {
      json: { user: userRef(user), factorsRemoved, sessionsRevoked },
      text: `${user.username}: ${plural(factorsRemoved, 'second factor')} removed, ${plural(sessionsRevoked, 'session')} revoked\n`,
    };
  },
};
