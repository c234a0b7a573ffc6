// @ts-check

/**
 * Being signed in: the tokens, operations as the signed-in user, and the start and end
 * of the page's session. The access token (and the refresh token, when the server puts
 * it in the body) lives in this module's memory only, never in storage: a reload means
 * signing in again.
 */

import { OperationError, post } from './graphql.js';

/** @import { StatusKind } from './dom.js' */

/** What every sign-in and renewal answers. */
export const AUTH_PAYLOAD = 'accessToken refreshToken expiresIn user { id username }';
const REFRESH = `mutation Refresh($refreshToken: String) { refresh(refreshToken: $refreshToken) { ${AUTH_PAYLOAD} } }`;

/**
 * @typedef {{ readonly id: string, readonly username: string }} User
 * @typedef {{ readonly accessToken: string, readonly refreshToken: string | null, readonly expiresIn: number, readonly user: User }} AuthPayload
 * @typedef {{ readonly accessToken: string, readonly refreshToken: string | null }} Tokens
 * @typedef {{
 *   started(user: User): void,
 *   ended(message: string, kind: StatusKind): void,
 * }} SessionView what the page shows when a session starts, and when it ends (with why)
 */

/** @type {Tokens | undefined} */
let tokens;
/** @type {Promise<boolean> | undefined} */
let renewal;
/** @type {SessionView | undefined} */
let view;

/** @param {SessionView} shown */
export function setSessionView(shown) {
  view = shown;
}

export function isSignedIn() {
  return tokens !== undefined;
}

/** @param {AuthPayload} payload */
export function startSession(payload) {
  keepTokens(payload);
  sessionView().started(payload.user);
}

/**
 * Forgets the tokens; the view forgets everything shown about the account.
 * @param {string} message
 * @param {StatusKind} kind
 */
export function endSession(message, kind) {
  tokens = undefined;
  sessionView().ended(message, kind);
}

function sessionView() {
  if (!view) throw new Error('No view shows the session: setSessionView first.');
  return view;
}

/**
 * An operation as the signed-in user. An UNAUTHENTICATED answer (an expired access
 * token, say) renews the token once and tries again; when renewing fails, the
 * session is over and the page asks to sign in again.
 * @template T
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<T>}
 */
export async function asUser(query, variables = {}) {
  const used = currentTokens().accessToken;
  try {
    return await post(query, variables, used);
  } catch (error) {
    if (!(error instanceof OperationError) || error.code !== 'UNAUTHENTICATED') throw error;
    if (!(await renewAccessToken(used))) {
      endSession('Your session has ended. Sign in again.', 'note');
      throw error;
    }
    return post(query, variables, currentTokens().accessToken);
  }
}

/** @returns {Tokens} */
function currentTokens() {
  if (!tokens) throw new OperationError('You are signed out.');
  return tokens;
}

/**
 * One renewal at a time for the whole page: requests refused together wait for the
 * same one, and a request refused with a token already replaced simply tries again.
 * @param {string} staleAccessToken
 * @returns {Promise<boolean>}
 */
function renewAccessToken(staleAccessToken) {
  if (tokens && tokens.accessToken !== staleAccessToken) return Promise.resolve(true);
  renewal ??= refreshTokens().finally(() => {
    renewal = undefined;
  });
  return renewal;
}

/** @returns {Promise<boolean>} */
async function refreshTokens() {
  if (!tokens) return false;
  // No refresh token in memory: the server keeps it in an HttpOnly cookie, which travels by itself.
  const variables = tokens.refreshToken === null ? {} : { refreshToken: tokens.refreshToken };
  try {
    /** @type {{ refresh: AuthPayload }} */
    const data = await post(REFRESH, variables);
    if (!tokens) return false;
    keepTokens(data.refresh);
    return true;
  } catch {
    return false;
  }
}

/** @param {AuthPayload} payload */
function keepTokens(payload) {
  tokens = { accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}
