// @ts-check

/** The "Signed in as" section: who the user is, and signing out. */

import { errorText } from './actions.js';
import { asUser, endSession, isSignedIn } from './auth.js';
import { byId, setStatus, statusLine } from './dom.js';

/** @import { User } from './auth.js' */

const LOGOUT = 'mutation Logout { logout }';
const ME = 'query Me { me { id username } }';

const whoHeading = byId('who-heading', HTMLHeadingElement);
const who = byId('who', HTMLSpanElement);
const signOutButton = byId('sign-out', HTMLButtonElement);
const whoStatus = statusLine('who-status');

export function setUpSignOut() {
  signOutButton.addEventListener('click', () => {
    void signOut();
  });
}

/**
 * Names the user the sign-in answered for, at once, and moves the focus here.
 * @param {User} user
 */
export function greet(user) {
  who.textContent = user.username;
  whoHeading.focus();
}

export function forgetUser() {
  who.textContent = '';
}

/** Asks the service who the token's user is now. */
export async function loadMe() {
  try {
    /** @type {{ me: User | null }} */
    const data = await asUser(ME);
    if (data.me) who.textContent = data.me.username;
    else endSession('Your session has ended. Sign in again.', 'note');
  } catch (error) {
    if (isSignedIn()) setStatus(whoStatus, errorText(error), 'error');
  }
}

async function signOut() {
  signOutButton.disabled = true;
  try {
    await asUser(LOGOUT);
    endSession('You are signed out.', 'success');
  } catch (error) {
    if (isSignedIn()) endSession(`You are signed out of this page, but the service did not confirm it: ${errorText(error)}`, 'error');
  } finally {
    signOutButton.disabled = false;
  }
}
