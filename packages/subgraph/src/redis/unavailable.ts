import { failClosedOn, type StoreFailures } from '../fail-closed';

/**
 * Redis replies that mean "the cluster cannot serve now", not "the command is wrong".
 * Matched anywhere in the message: inside a script the reply comes wrapped
 * ("ERR Error running script ... READONLY ..."), and during a failover a command
 * can reach a node that has just become a replica (MOVED, READONLY, or WAIT refused).
 */
const TRANSIENT_REPLY = /\b(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY|BUSY|NOREPLICAS|MOVED|ASK|UNBLOCKED)\b|WAIT cannot be used with replica/;

/**
 * Past this, a store operation answers SERVICE_UNAVAILABLE whatever the client is
 * doing (reconnecting, refreshing slots, waiting on a node): no request hangs on
 * Redis. Longer than the per-command timeout, so that one normally speaks first.
 */
export const STORE_OPERATION_DEADLINE_MS = 3_000;

const REDIS_FAILURES: StoreFailures = { store: 'Redis', logReason: 'redis unavailable', isCommandError: isProgrammingError };

/**
 * Runs a store operation and turns any failure to reach Redis, or no answer within
 * the deadline, into SERVICE_UNAVAILABLE, so every caller fails closed. Script and
 * programming errors (other Redis replies) stay what they are: internal errors.
 * An operation cut off by the deadline may still complete later.
 */
export function failClosed<T>(operation: () => Promise<T>, deadlineMs = STORE_OPERATION_DEADLINE_MS): Promise<T> {
  return failClosedOn(REDIS_FAILURES, operation, deadlineMs);
}

function isProgrammingError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return !TRANSIENT_REPLY.test(error.message);
  return error instanceof TypeError || error instanceof RangeError;
}
