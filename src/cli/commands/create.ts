import { acceptableUsername } from '../../users/username-policy';
import { userView } from '../views';
import type { Command } from './command';

export const createCommand: Command = {
  name: 'create',
  synopsis: '<username> [--authority A]...',
  summary: 'create a user and print its id',
  details: [
    'The password is asked twice at a prompt without echo when stdin is a terminal;',
    'otherwise it is the first line of stdin:  printf "%s\\n" "$PASSWORD" | npm run users -- create alice',
    'It is never taken from the command line: --password is refused.',
    '--authority A   grant authority A (repeat for more), e.g. --authority ROLE_ADMIN',
  ],
  options: ['authority'],
  operands: { min: 1, max: 1 },
  async run({ accounts, readPassword }, args) {
    const username = args.operands[0];
    // The service checks it again; checked first too, so nobody types a password for a name that cannot be.
    const password = await readPassword(acceptableUsername(username));
    const user = userView(await accounts.create({ username, password, authorities: args.authorities }));
    return { json: user, text: `${user.id}\n` };
  },
};
