// @ts-check

/**
 * The user's second factors, which one query answers for two sections: the
 * authenticator app's and the passkeys'. Each section shows its part, and asks for
 * all of it again after a change.
 */

import { errorText } from './actions.js';
import { asUser, isSignedIn } from './auth.js';

const SECOND_FACTORS =
  'query SecondFactors { secondFactors { totpEnabled recoveryCodesLeft passkeys { id name createdAt lastUsedAt deviceType backedUp } } }';

/**
 * @typedef {{
 *   readonly id: string, readonly name: string | null, readonly createdAt: string, readonly lastUsedAt: string | null,
 *   readonly deviceType: string, readonly backedUp: boolean
 * }} Passkey
 * @typedef {{ readonly totpEnabled: boolean, readonly recoveryCodesLeft: number, readonly passkeys: readonly Passkey[] }} SecondFactors
 * @typedef {{ show(factors: SecondFactors): void, unavailable(text: string): void }} SecondFactorsView
 */

/** @type {SecondFactorsView[]} */
const views = [];

/**
 * A section that shows the answer, or says why there is none.
 * @param {SecondFactorsView} view
 */
export function showSecondFactorsIn(view) {
  views.push(view);
}

export async function loadSecondFactors() {
  try {
    await showSecondFactors();
  } catch (error) {
    if (!isSignedIn()) return;
    // Both sections come from one query: each says why it is empty, and the rest of the page works on.
    const text = `Cannot show this now: ${errorText(error)}`;
    for (const view of views) view.unavailable(text);
  }
}

export async function showSecondFactors() {
  /** @type {{ secondFactors: SecondFactors }} */
  const data = await asUser(SECOND_FACTORS);
  for (const view of views) view.show(data.secondFactors);
}
