import type { Logger } from 'pino';
import type { UserStore } from './user-store';

/**
 * Gives the accounts of an earlier version their skeleton keys, once at start, so
 * a new look-alike of an old name is refused too. Idempotent and safe when several
 * instances start at once. If Redis cannot be reached the start goes on: the next
 * start tries again, and until then only names older than the index lack the check.
 */
export async function backfillUsernameSkeletonsAtStart(users: UserStore, logger: Logger): Promise<void> {
  try {
    const { users: checked, claimed, lookAlikes } = await users.backfillUsernameSkeletons();
    if (claimed > 0) logger.info({ users: checked, claimed }, 'username skeletons indexed for existing accounts');
    if (lookAlikes.length > 0) {
      logger.warn(
        { userIds: lookAlikes },
        'accounts whose usernames look like an older account\'s: both keep working; review them',
      );
    }
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'username skeletons not indexed this start; the next start tries again');
  }
}
