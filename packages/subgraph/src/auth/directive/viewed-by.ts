import type { Principal } from '../principal';

const VIEWER = Symbol('viewed by');

/**
 * Marks an object as read by this principal, whoever the request's caller is: the
 * user a `login` or `refresh` just authenticated reads their own account in the
 * payload, although the request itself came in anonymous. Only server code can set
 * it; nothing a client sends reaches a symbol-keyed property.
 */
export function viewedBy<T extends object>(value: T, principal: Principal): T {
  Object.defineProperty(value, VIEWER, { value: principal, enumerable: false });
  return value;
}

/** The principal an object was marked with, if any. */
export function viewerOf(value: unknown): Principal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [VIEWER]?: Principal })[VIEWER];
}
