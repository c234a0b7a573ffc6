// @ts-check

/** Running what a button or form asks for, and saying how it went. */

import { isSignedIn } from './auth.js';
import { setStatus } from './dom.js';
import { OperationError } from './graphql.js';

/** @param {unknown} error */
export function errorText(error) {
  if (error instanceof OperationError) return error.message;
  if (error instanceof DOMException && error.name === 'NotAllowedError') return 'The passkey prompt was closed or timed out.';
  if (error instanceof DOMException && error.name === 'InvalidStateError') return 'This authenticator already holds a passkey for your account.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs what a button or form asks for: the button waits, and the outcome lands in
 * the section's status, as text a screen reader announces.
 * @param {HTMLButtonElement | null} button
 * @param {HTMLElement} status
 * @param {() => Promise<string>} action resolves to the message of success
 */
export async function run(button, status, action) {
  const signedIn = isSignedIn();
  if (button) button.disabled = true;
  setStatus(status, '');
  try {
    setStatus(status, await action(), 'success');
  } catch (error) {
    // Signed out meanwhile: the sign-in view says why.
    if (!signedIn || isSignedIn()) setStatus(status, errorText(error), 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * @param {HTMLFormElement} form
 * @param {HTMLElement} status
 * @param {() => Promise<string>} action
 */
export function onSubmit(form, status, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(form.querySelector('button[type="submit"]'), status, action);
  });
}
