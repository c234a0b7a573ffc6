import { failClosedOn, type StoreFailures } from '../fail-closed';

/**
 * SQLSTATE classes that mean "the database cannot serve now", not "the statement is
 * wrong": connection exceptions (08), insufficient resources (53), operator
 * intervention such as a shutdown or a cancelled statement (57), system errors (58),
 * and a transaction rolled back for a serialization failure or a deadlock (40).
 */
const TRANSIENT_SQLSTATE = /^(08|53|57|58|40)/;

/** Past this, a store operation answers SERVICE_UNAVAILABLE: no request hangs on the database. */
export const POSTGRES_OPERATION_DEADLINE_MS = 3_000;

const POSTGRES_FAILURES: StoreFailures = { store: 'PostgreSQL', logReason: 'postgres unavailable', isCommandError: isStatementError };

/**
 * Runs a store operation and turns any failure to reach PostgreSQL, or no answer within
 * the deadline, into SERVICE_UNAVAILABLE, so every caller fails closed. Errors of the
 * statement itself (a syntax error, a violated constraint the caller did not expect)
 * stay what they are: internal errors.
 */
export function failClosedOnPostgres<T>(operation: () => Promise<T>, deadlineMs = POSTGRES_OPERATION_DEADLINE_MS): Promise<T> {
  return failClosedOn(POSTGRES_FAILURES, operation, deadlineMs);
}

/** A SQLSTATE of five characters is the server's answer; node's network errors carry codes like ECONNREFUSED. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function isStatementError(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return !TRANSIENT_SQLSTATE.test(state);
  return error instanceof TypeError || error instanceof RangeError;
}
