/** One `@auth(requires, anyOf, ownedBy, mfa)` application. Empty lists and no owner mean "any authenticated caller". */
export interface AuthRule {
  readonly requires: readonly string[];
  readonly anyOf: readonly string[];
  /** The property of the parent object holding its owner's user id. */
  readonly ownedBy?: string;
  /** The caller's session must also have used a second factor. */
  readonly mfa?: boolean;
}

/** `requires`: every listed authority; `anyOf`: at least one. Both must hold when both are given. */
export function satisfiesRule(authorities: readonly string[], rule: AuthRule): boolean {
  const held = new Set(authorities);
  return rule.requires.every((authority) => held.has(authority)) && (rule.anyOf.length === 0 || rule.anyOf.some((authority) => held.has(authority)));
}

/** Whether the rule lists any authority: with `ownedBy`, the authorities are the way in for non-owners. */
export function namesAuthorities(rule: AuthRule): boolean {
  return rule.requires.length > 0 || rule.anyOf.length > 0;
}

/**
 * Whether a caller passes the rule for this parent object. With `ownedBy`, the owner
 * passes; anyone else only through the listed authorities (none listed: nobody else).
 * A parent without the property has no owner, so only the authorities can let a caller in.
 */
export function allows(rule: AuthRule, caller: { readonly userId: string; readonly authorities: readonly string[] }, parent: unknown): boolean {
  if (rule.ownedBy === undefined) return satisfiesRule(caller.authorities, rule);
  if (ownerOf(parent, rule.ownedBy) === caller.userId) return true;
  return namesAuthorities(rule) && satisfiesRule(caller.authorities, rule);
}

function ownerOf(parent: unknown, property: string): string | undefined {
  if (typeof parent !== 'object' || parent === null) return undefined;
  const owner = (parent as Record<string, unknown>)[property];
  if (typeof owner === 'number' && Number.isSafeInteger(owner)) return String(owner);
  return typeof owner === 'string' ? owner : undefined;
}
