// @ts-check

/** The password section: changing it, which signs out every other session. */

import { onSubmit } from './actions.js';
import { asUser } from './auth.js';
import { byId, statusLine } from './dom.js';
import { loadSessions } from './sessions.js';

const CHANGE_PASSWORD =
  'mutation ChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }';

const passwordForm = byId('password-form', HTMLFormElement);
const currentPasswordInput = byId('current-password', HTMLInputElement);
const newPasswordInput = byId('new-password', HTMLInputElement);
const passwordStatus = statusLine('password-status');

export function setUpPassword() {
  onSubmit(passwordForm, passwordStatus, async () => {
    await asUser(CHANGE_PASSWORD, { currentPassword: currentPasswordInput.value, newPassword: newPasswordInput.value });
    passwordForm.reset();
    // The service ended every other session.
    await loadSessions();
    return 'Your password is changed. Your other sessions are signed out.';
  });
}

export function clearPassword() {
  passwordForm.reset();
}
