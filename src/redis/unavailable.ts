import { ServiceUnavailableError } from '../errors';

/** Redis replies that mean "the cluster cannot serve now", not "the command is wrong". */
const TRANSIENT_REPLY = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/;

/**
 * Runs a store operation and turns any failure to reach Redis into
 * SERVICE_UNAVAILABLE, so every caller fails closed. Script and programming
 * errors (other Redis replies) stay what they are: internal errors.
 */
export async function failClosed<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    throw new ServiceUnavailableError('The session store is unavailable; try again shortly', {
      reason: 'redis unavailable',
      cause: error,
    });
  }
}

function isProgrammingError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return !TRANSIENT_REPLY.test(error.message);
  return error instanceof TypeError || error instanceof RangeError;
}
