// @ts-check

/**
 * The account page's entry module: signs in against this origin's GraphQL endpoint,
 * then shows the user's sessions, second factors and a password change. Each section
 * lives in a module of its own; this one sets them up and switches between the
 * sign-in section and the signed-in view.
 */

import { setSessionView } from './auth.js';
import { clearAuthenticatorApp, setUpAuthenticatorApp } from './authenticator-app.js';
import { byId, clearStatuses } from './dom.js';
import { clearPasskeys, setUpPasskeys } from './passkeys.js';
import { clearPassword, setUpPassword } from './password.js';
import { loadSecondFactors } from './second-factors.js';
import { clearSessions, loadSessions, setUpSessions } from './sessions.js';
import { hideSignIn, setUpSignIn, showSignIn } from './sign-in.js';
import { forgetUser, greet, loadMe, setUpSignOut } from './signed-in.js';

const account = byId('account', HTMLDivElement);

setUpSignIn();
setUpSignOut();
setUpSessions();
setUpAuthenticatorApp();
setUpPasskeys();
setUpPassword();

setSessionView({
  started(user) {
    hideSignIn();
    clearStatuses();
    account.hidden = false;
    greet(user);
    void loadMe();
    void loadSessions();
    void loadSecondFactors();
  },
  // Forgets everything shown about the account, the recovery codes above all.
  ended(message, kind) {
    forgetUser();
    clearSessions();
    clearAuthenticatorApp();
    clearPasskeys();
    clearPassword();
    clearStatuses();
    account.hidden = true;
    showSignIn(message, kind);
  },
});
