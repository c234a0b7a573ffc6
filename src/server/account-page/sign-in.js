// @ts-check

/**
 * The sign-in section: a password (and, when the account has one, a second factor), or
 * a passkey alone.
 */

import { errorText, run } from './actions.js';
import { AUTH_PAYLOAD, startSession } from './auth.js';
import { byId, setStatus, statusLine } from './dom.js';
import { OperationError, post } from './graphql.js';
import { canUsePasskeys, credentialToJson, requestOptionsFrom } from './webauthn-json.js';

/** @import { AuthPayload } from './auth.js' */
/** @import { StatusKind } from './dom.js' */

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD} } }`;
const PASSKEY_LOGIN_OPTIONS = 'mutation PasskeyLoginOptions($username: String) { passkeyLoginOptions(username: $username) }';
const LOGIN_WITH_PASSKEY = `mutation LoginWithPasskey($response: JSON!) { loginWithPasskey(response: $response) { ${AUTH_PAYLOAD} } }`;

const signInSection = byId('sign-in', HTMLElement);
const signInHeading = byId('sign-in-heading', HTMLHeadingElement);
const signInForm = byId('sign-in-form', HTMLFormElement);
const usernameInput = byId('sign-in-username', HTMLInputElement);
const passwordInput = byId('sign-in-password', HTMLInputElement);
const signInCodeField = byId('sign-in-code-field', HTMLParagraphElement);
const signInCodeInput = byId('sign-in-code', HTMLInputElement);
const passkeySignInRow = byId('passkey-sign-in-row', HTMLParagraphElement);
const passkeySignInButton = byId('passkey-sign-in', HTMLButtonElement);
const signInStatus = statusLine('sign-in-status');

export function setUpSignIn() {
  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void signInWithPassword();
  });

  passkeySignInButton.addEventListener('click', () => {
    void run(passkeySignInButton, signInStatus, async () => {
      const username = usernameInput.value.trim();
      /** @type {{ passkeyLoginOptions: PublicKeyCredentialRequestOptionsJSON }} */
      const options = await post(PASSKEY_LOGIN_OPTIONS, { username: username === '' ? null : username });
      const credential = await navigator.credentials.get({ publicKey: requestOptionsFrom(options.passkeyLoginOptions), mediation: 'optional' });
      if (!(credential instanceof PublicKeyCredential)) throw new OperationError('No passkey was used.');
      /** @type {{ loginWithPasskey: AuthPayload }} */
      const data = await post(LOGIN_WITH_PASSKEY, { response: credentialToJson(credential) });
      startSession(data.loginWithPasskey);
      return '';
    });
  });

  passkeySignInRow.hidden = !canUsePasskeys();
}

/** Out of the way once signed in, with nothing typed left in it. */
export function hideSignIn() {
  signInForm.reset();
  showCodeField(false);
  signInSection.hidden = true;
}

/**
 * Back once signed out, saying why.
 * @param {string} message
 * @param {StatusKind} kind
 */
export function showSignIn(message, kind) {
  signInSection.hidden = false;
  setStatus(signInStatus, message, kind);
  signInHeading.focus();
}

/** @param {boolean} shown */
function showCodeField(shown) {
  signInCodeField.hidden = !shown;
  signInCodeInput.required = shown;
  if (!shown) signInCodeInput.value = '';
}

async function signInWithPassword() {
  const button = signInForm.querySelector('button[type="submit"]');
  if (button instanceof HTMLButtonElement) button.disabled = true;
  setStatus(signInStatus, '');
  const otp = signInCodeInput.value.trim();
  const input = { username: usernameInput.value, password: passwordInput.value, ...(otp !== '' && { otp }) };
  try {
    /** @type {{ login: AuthPayload }} */
    const data = await post(LOGIN, { input });
    startSession(data.login);
  } catch (error) {
    if (error instanceof OperationError && error.code === 'MFA_REQUIRED') {
      askForSecondFactor(error.methods);
    } else {
      setStatus(signInStatus, errorText(error), 'error');
    }
  } finally {
    if (button instanceof HTMLButtonElement) button.disabled = false;
  }
}

/**
 * The password was right and the account has a second factor. The service's message
 * speaks to API clients ("send … as otp"); this page says where to put what.
 * @param {readonly string[]} methods
 */
function askForSecondFactor(methods) {
  const withPasskey = methods.includes('passkey') && canUsePasskeys();
  const withCode = methods.includes('otp') || !withPasskey;
  showCodeField(withCode);
  const steps = [
    withCode ? 'Enter a code from your authenticator app, or one of your recovery codes.' : '',
    withPasskey ? `${withCode ? 'Or sign' : 'Sign'} in with a passkey.` : '',
  ];
  setStatus(signInStatus, `This account has a second factor. ${steps.filter(Boolean).join(' ')}`, 'note');
  (withCode ? signInCodeInput : passkeySignInButton).focus();
}
