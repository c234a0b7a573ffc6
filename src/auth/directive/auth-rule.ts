/** One `@auth(requires, anyOf)` application. Empty lists mean "any authenticated caller". */
export interface AuthRule {
  readonly requires: readonly string[];
  readonly anyOf: readonly string[];
}

/** `requires`: every listed authority; `anyOf`: at least one. Both must hold when both are given. */
export function satisfiesRule(authorities: readonly string[], rule: AuthRule): boolean {
  const held = new Set(authorities);
  return rule.requires.every((authority) => held.has(authority)) && (rule.anyOf.length === 0 || rule.anyOf.some((authority) => held.has(authority)));
}
