import { ServiceUnavailableError } from './errors';
import { withinDeadline } from './redis/deadline';

/** How one kind of store tells "cannot serve now" from "the command itself is wrong". */
export interface StoreFailures {
  /** The store's name in messages: `Redis`, `PostgreSQL`. */
  readonly store: string;
  /** Why, for logs and metrics (`redis unavailable`). */
  readonly logReason: string;
  /** A programming or statement error: it stays what it is, an internal error. */
  isCommandError(error: unknown): boolean;
}

/**
 * Runs a store operation and turns any failure to reach the store, or no answer within
 * the deadline, into SERVICE_UNAVAILABLE, so every caller fails closed. An operation cut
 * off by the deadline may still complete later.
 */
export async function failClosedOn<T>(failures: StoreFailures, operation: () => Promise<T>, deadlineMs: number): Promise<T> {
  try {
    return await withinDeadline(operation(), deadlineMs, () => new StoreDeadlineError(failures.store, deadlineMs));
  } catch (error) {
    if (failures.isCommandError(error) || error instanceof ServiceUnavailableError) throw error;
    throw new ServiceUnavailableError('The session store is unavailable; try again shortly', {
      logReason: failures.logReason,
      cause: error,
    });
  }
}

class StoreDeadlineError extends Error {
  constructor(store: string, deadlineMs: number) {
    super(`no answer from ${store} within ${deadlineMs} ms`);
    this.name = 'StoreDeadlineError';
  }
}
