import { plural } from '../text-format';
import type { Command } from './command';

export const unlockCommand: Command = {
  name: 'unlock',
  synopsis: '<username>',
  summary: "lift a username's brute-force lockout and forget its failed logins",
  details: [
    'Works for any username, existing or not: failed logins are counted per name typed.',
    "A client address's own lockout is not lifted; it ends by itself.",
  ],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ loginThrottle }, args) {
    const username = args.operands[0];
    const before = await loginThrottle.unlock(username);
    const locked = before.lockedUntil !== undefined;
    const text = `${username}: ${locked ? 'unlocked' : 'was not locked'}; ${plural(before.failures, 'failed login')} forgotten\n`;
    return { json: { username, wasLocked: locked, failuresForgotten: before.failures }, text };
  },
};
