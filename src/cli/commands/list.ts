import { UsageError } from '../cli-errors';
import { usersTableText, userView } from '../views';
import type { Command } from './command';

const DEFAULT_PAGE_SIZE = 50;

export const listCommand: Command = {
  name: 'list',
  synopsis: '[--first N] [--after CURSOR]',
  summary: 'list users, oldest first, a page at a time',
  details: [
    `--first N        page size, 0 to 200 (default ${DEFAULT_PAGE_SIZE})`,
    '--after CURSOR   the page after the one that printed this cursor',
  ],
  options: ['first', 'after'],
  operands: { min: 0, max: 0 },
  validate(args) {
    if (args.first !== undefined && !/^\d{1,6}$/.test(args.first)) throw new UsageError('--first expects a whole number');
  },
  async run({ accounts }, args) {
    const first = args.first === undefined ? DEFAULT_PAGE_SIZE : Number(args.first);
    const page = await accounts.list(first, args.after);
    const users = page.nodes.map(userView);
    const nextCursor = page.hasNextPage ? page.endCursor : null;
    const footer =
      nextCursor === null
        ? `${users.length} of ${page.totalCount} users\n`
        : `${users.length} of ${page.totalCount} users; next page: --after ${nextCursor}\n`;
    const text = users.length === 0 ? footer : `${usersTableText(users)}\n${footer}`;
    return { json: { totalCount: page.totalCount, users, nextCursor }, text };
  },
};
