// @ts-check

/** The sessions section: every place the user is signed in, each but this one revocable. */

import { errorText, run } from './actions.js';
import { asUser, isSignedIn } from './auth.js';
import { byId, element, formatTime, setStatus, statusLine, timeElement } from './dom.js';
import { describeUserAgent } from './user-agent.js';

const SESSIONS = 'query Sessions { sessions { id createdAt lastSeenAt ip userAgent current amr } }';
const REVOKE_SESSION = 'mutation RevokeSession($id: ID!) { revokeSession(id: $id) }';

/** How the `amr` of a session reads (RFC 8176 names). */
const AUTHENTICATION_METHODS = /** @type {Readonly<Record<string, string>>} */ ({
  pwd: 'password',
  otp: 'one-time code',
  hwk: 'passkey on one device',
  swk: 'synced passkey',
});

/**
 * @typedef {{
 *   readonly id: string, readonly createdAt: string, readonly lastSeenAt: string, readonly ip: string | null,
 *   readonly userAgent: string | null, readonly current: boolean, readonly amr: readonly string[]
 * }} Session
 */

const sessionsHeading = byId('sessions-heading', HTMLHeadingElement);
const sessionRows = byId('sessions-rows', HTMLTableSectionElement);
const reloadSessionsButton = byId('reload-sessions', HTMLButtonElement);
const sessionsStatus = statusLine('sessions-status');

export function setUpSessions() {
  reloadSessionsButton.addEventListener('click', () => {
    void run(reloadSessionsButton, sessionsStatus, async () => {
      await showSessions();
      return 'Sessions reloaded.';
    });
  });
}

export async function loadSessions() {
  try {
    await showSessions();
  } catch (error) {
    if (isSignedIn()) setStatus(sessionsStatus, errorText(error), 'error');
  }
}

export function clearSessions() {
  sessionRows.replaceChildren();
}

async function showSessions() {
  /** @type {{ sessions: readonly Session[] }} */
  const data = await asUser(SESSIONS);
  sessionRows.replaceChildren(...data.sessions.map(sessionRow));
}

/** @param {Session} session */
function sessionRow(session) {
  const row = element('tr');
  const device = session.userAgent === null ? 'Unknown device' : describeUserAgent(session.userAgent);
  const deviceCell = element('td', device, 'device');
  if (session.userAgent !== null && device !== session.userAgent) deviceCell.append(element('span', session.userAgent, 'user-agent'));
  const methods = session.amr.map((method) => AUTHENTICATION_METHODS[method] ?? method).join(' and ');
  const created = element('td');
  created.append(timeElement(session.createdAt));
  const lastSeen = element('td');
  lastSeen.append(timeElement(session.lastSeenAt));
  const action = element('td');
  if (session.current) {
    action.append(element('span', 'This session', 'current'));
  } else {
    const revoke = element('button', 'Revoke', 'secondary');
    revoke.type = 'button';
    const from = session.userAgent === null ? (session.ip ?? 'an unknown device') : device;
    revoke.setAttribute('aria-label', `Revoke session from ${from} created ${formatTime(session.createdAt)}`);
    revoke.addEventListener('click', () => {
      void run(revoke, sessionsStatus, async () => {
        /** @type {{ revokeSession: boolean }} */
        const data = await asUser(REVOKE_SESSION, { id: session.id });
        await showSessions();
        sessionsHeading.focus();
        return data.revokeSession ? 'Session revoked.' : 'That session had already ended.';
      });
    });
    action.append(revoke);
  }
  row.append(deviceCell, element('td', session.ip ?? 'Unknown'), element('td', methods || 'Unknown'), created, lastSeen, action);
  return row;
}
