import { plural } from '../text-format';
import type { Command } from './command';

export const unlockCommand: Command = {
  name: 'unlock',
  synopsis: '<username>',
  summary: "lift a username's brute-force locks and slowdown, and forget its failed logins",
  details: [
    'Works for any username, existing or not: failed logins are counted per name typed.',
    'Lifts the lock at every client address that guessed this username, and the spacing of its logins.',
    "A client address's own lockout (from trying many usernames) is not lifted; it ends by itself.",
  ],
  options: [],
  operands: { min: 1, max: 1 },
  async run({ loginThrottle }, args) {
    const username = args.operands[0];
    const found = await loginThrottle.unlock(username);
    const lifted = [
      ...(found.lockedAddresses > 0 ? [`unlocked at ${found.lockedAddresses} client address${found.lockedAddresses === 1 ? '' : 'es'}`] : []),
      ...(found.slowedDown ? ['no longer slowed down'] : []),
    ];
    const text = `${username}: ${lifted.join(', ') || 'was not locked'}; ${plural(found.failures, 'failed login')} forgotten\n`;
    return {
      json: {
        username,
        wasLocked: found.lockedAddresses > 0,
        lockedAddresses: found.lockedAddresses,
        wasSlowedDown: found.slowedDown,
        failuresForgotten: found.failures,
      },
      text,
    };
  },
};
