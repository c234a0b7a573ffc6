// @ts-check
'use strict';

/**
 * The account page: signs in against this origin's GraphQL endpoint, then shows the
 * user's sessions, second factors and a password change. The access token (and the
 * refresh token, when the server puts it in the body) lives in this script's memory
 * only, never in storage: a reload means signing in again.
 */
(() => {
  const GRAPHQL_PATH = '/graphql';

  const AUTH_PAYLOAD = 'accessToken refreshToken expiresIn user { id username }';
  const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD} } }`;
  const PASSKEY_LOGIN_OPTIONS = 'mutation PasskeyLoginOptions($username: String) { passkeyLoginOptions(username: $username) }';
  const LOGIN_WITH_PASSKEY = `mutation LoginWithPasskey($response: JSON!) { loginWithPasskey(response: $response) { ${AUTH_PAYLOAD} } }`;
  const REFRESH = `mutation Refresh($refreshToken: String) { refresh(refreshToken: $refreshToken) { ${AUTH_PAYLOAD} } }`;
  const LOGOUT = 'mutation Logout { logout }';
  const ME = 'query Me { me { id username } }';
  const SESSIONS = 'query Sessions { sessions { id createdAt lastSeenAt ip userAgent current amr } }';
  const REVOKE_SESSION = 'mutation RevokeSession($id: ID!) { revokeSession(id: $id) }';
  const SECOND_FACTORS =
    'query SecondFactors { secondFactors { totpEnabled recoveryCodesLeft passkeys { id name createdAt lastUsedAt deviceType backedUp } } }';
  const ENROLL_TOTP = 'mutation EnrollTotp { enrollTotp { secret otpauthUrl } }';
  const CONFIRM_TOTP = 'mutation ConfirmTotp($code: String!) { confirmTotp(code: $code) }';
  const DISABLE_TOTP = 'mutation DisableTotp($code: String!) { disableTotp(code: $code) }';
  const PASSKEY_REGISTRATION_OPTIONS = 'mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }';
  const REGISTER_PASSKEY = 'mutation RegisterPasskey($response: JSON!, $name: String) { registerPasskey(response: $response, name: $name) }';
  const REMOVE_PASSKEY = 'mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }';
  const CHANGE_PASSWORD =
    'mutation ChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }';

  /** How the `amr` of a session reads (RFC 8176 names). */
  const AUTHENTICATION_METHODS = /** @type {Readonly<Record<string, string>>} */ ({
    pwd: 'password',
    otp: 'one-time code',
    hwk: 'passkey on one device',
    swk: 'synced passkey',
  });

  /**
   * @typedef {{ readonly message: string, readonly extensions?: { readonly code?: string, readonly methods?: readonly string[] } }} GraphQLErrorBody
   * @typedef {{ readonly id: string, readonly username: string }} User
   * @typedef {{ readonly accessToken: string, readonly refreshToken: string | null, readonly expiresIn: number, readonly user: User }} AuthPayload
   * @typedef {{ readonly accessToken: string, readonly refreshToken: string | null }} Tokens
   * @typedef {{
   *   readonly id: string, readonly createdAt: string, readonly lastSeenAt: string, readonly ip: string | null,
   *   readonly userAgent: string | null, readonly current: boolean, readonly amr: readonly string[]
   * }} Session
   * @typedef {{
   *   readonly id: string, readonly name: string | null, readonly createdAt: string, readonly lastUsedAt: string | null,
   *   readonly deviceType: string, readonly backedUp: boolean
   * }} Passkey
   * @typedef {{ readonly totpEnabled: boolean, readonly recoveryCodesLeft: number, readonly passkeys: readonly Passkey[] }} SecondFactors
   * @typedef {{ readonly secret: string, readonly otpauthUrl: string }} TotpEnrollment
   * @typedef {'error' | 'success' | 'note'} StatusKind
   */

  /** The first error of an answer (its message is for the user, its code for this script), or no answer at all. */
  class OperationError extends Error {
    /**
     * @param {string} message
     * @param {string} [code]
     * @param {readonly string[]} [methods]
     */
    constructor(message, code, methods = []) {
      super(message);
      this.code = code;
      this.methods = methods;
    }
  }

  // ---- talking to the service ----

  /**
   * One operation, POSTed as JSON (which Apollo's CSRF prevention accepts). Same-origin
   * credentials carry the refresh cookie when the server keeps the refresh token in one.
   * @template T
   * @param {string} query
   * @param {Record<string, unknown>} variables
   * @param {string} [accessToken]
   * @returns {Promise<T>}
   */
  async function post(query, variables, accessToken) {
    /** @type {Record<string, string>} */
    const headers = { 'content-type': 'application/json' };
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    /** @type {Response} */
    let response;
    try {
      response = await fetch(GRAPHQL_PATH, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ query, variables }) });
    } catch {
      throw new OperationError('The service cannot be reached. Check your connection and try again.');
    }
    /** @type {{ data?: T | null, errors?: readonly GraphQLErrorBody[] } | undefined} */
    const body = await response.json().catch(() => undefined);
    const error = body?.errors?.[0];
    if (error) throw new OperationError(error.message, error.extensions?.code, error.extensions?.methods);
    if (body?.data === undefined || body.data === null) throw new OperationError(`The service answered ${response.status} without data.`);
    return body.data;
  }

  /** @type {Tokens | undefined} */
  let tokens;
  /** @type {Promise<boolean> | undefined} */
  let renewal;

  /**
   * An operation as the signed-in user. An UNAUTHENTICATED answer (an expired access
   * token, say) renews the token once and tries again; when renewing fails, the
   * session is over and the page asks to sign in again.
   * @template T
   * @param {string} query
   * @param {Record<string, unknown>} [variables]
   * @returns {Promise<T>}
   */
  async function asUser(query, variables = {}) {
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

  // ---- the page's elements ----

  /**
   * @template {HTMLElement} T
   * @param {string} id
   * @param {{ new (): T, prototype: T }} type
   * @returns {T}
   */
  function byId(id, type) {
    const found = document.getElementById(id);
    if (!(found instanceof type)) throw new Error(`#${id} is missing from the page, or not a ${type.name}`);
    return found;
  }

  const signInSection = byId('sign-in', HTMLElement);
  const signInHeading = byId('sign-in-heading', HTMLHeadingElement);
  const signInForm = byId('sign-in-form', HTMLFormElement);
  const usernameInput = byId('sign-in-username', HTMLInputElement);
  const passwordInput = byId('sign-in-password', HTMLInputElement);
  const signInCodeField = byId('sign-in-code-field', HTMLParagraphElement);
  const signInCodeInput = byId('sign-in-code', HTMLInputElement);
  const passkeySignInRow = byId('passkey-sign-in-row', HTMLParagraphElement);
  const passkeySignInButton = byId('passkey-sign-in', HTMLButtonElement);
  const signInStatus = byId('sign-in-status', HTMLParagraphElement);

  const account = byId('account', HTMLDivElement);
  const whoHeading = byId('who-heading', HTMLHeadingElement);
  const who = byId('who', HTMLSpanElement);
  const signOutButton = byId('sign-out', HTMLButtonElement);
  const whoStatus = byId('who-status', HTMLParagraphElement);

  const sessionsHeading = byId('sessions-heading', HTMLHeadingElement);
  const sessionRows = byId('sessions-rows', HTMLTableSectionElement);
  const reloadSessionsButton = byId('reload-sessions', HTMLButtonElement);
  const sessionsStatus = byId('sessions-status', HTMLParagraphElement);

  const totpStatus = byId('totp-status', HTMLParagraphElement);
  const totpOff = byId('totp-off', HTMLDivElement);
  const totpEnrollButton = byId('totp-enroll', HTMLButtonElement);
  const totpEnrollment = byId('totp-enrollment', HTMLDivElement);
  const totpQr = byId('totp-qr', HTMLDivElement);
  const totpSecret = byId('totp-secret', HTMLElement);
  const totpConfirmForm = byId('totp-confirm-form', HTMLFormElement);
  const totpConfirmCode = byId('totp-confirm-code', HTMLInputElement);
  const recoveryCodes = byId('recovery-codes', HTMLDivElement);
  const recoveryCodeList = byId('recovery-code-list', HTMLUListElement);
  const totpOn = byId('totp-on', HTMLDivElement);
  const recoveryCodesLeft = byId('recovery-codes-left', HTMLElement);
  const totpDisableForm = byId('totp-disable-form', HTMLFormElement);
  const totpDisableCode = byId('totp-disable-code', HTMLInputElement);

  const passkeysHeading = byId('passkeys-heading', HTMLHeadingElement);
  const passkeysStatus = byId('passkeys-status', HTMLParagraphElement);
  const passkeysEmpty = byId('passkeys-empty', HTMLParagraphElement);
  const passkeyList = byId('passkey-list', HTMLUListElement);
  const passkeyAddForm = byId('passkey-add-form', HTMLFormElement);
  const passkeyNameInput = byId('passkey-name', HTMLInputElement);

  const passwordForm = byId('password-form', HTMLFormElement);
  const currentPasswordInput = byId('current-password', HTMLInputElement);
  const newPasswordInput = byId('new-password', HTMLInputElement);
  const passwordStatus = byId('password-status', HTMLParagraphElement);

  const allStatuses = [signInStatus, whoStatus, sessionsStatus, totpStatus, passkeysStatus, passwordStatus];

  // ---- building blocks ----

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string} [text]
   * @param {string} [className]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function element(tag, text, className) {
    const created = document.createElement(tag);
    if (text !== undefined) created.textContent = text;
    if (className) created.className = className;
    return created;
  }

  /**
   * @param {HTMLElement} status
   * @param {string} text
   * @param {StatusKind} [kind]
   */
  function setStatus(status, text, kind = 'note') {
    status.textContent = text;
    status.classList.toggle('error', kind === 'error' && text !== '');
    status.classList.toggle('success', kind === 'success' && text !== '');
  }

  /** @param {unknown} error */
  function errorText(error) {
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
  async function run(button, status, action) {
    const signedIn = tokens !== undefined;
    if (button) button.disabled = true;
    setStatus(status, '');
    try {
      setStatus(status, await action(), 'success');
    } catch (error) {
      // Signed out meanwhile: the sign-in view says why.
      if (!signedIn || tokens) setStatus(status, errorText(error), 'error');
    } finally {
      if (button) button.disabled = false;
    }
  }

  /**
   * @param {HTMLFormElement} form
   * @param {HTMLElement} status
   * @param {() => Promise<string>} action
   */
  function onSubmit(form, status, action) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run(form.querySelector('button[type="submit"]'), status, action);
    });
  }

  const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  /** @param {string} iso */
  function formatTime(iso) {
    return dateTimeFormat.format(new Date(iso));
  }

  /** @param {string} iso */
  function timeElement(iso) {
    const time = element('time', formatTime(iso));
    time.dateTime = iso;
    return time;
  }

  // ---- signing in and out ----

  /** @param {AuthPayload} payload */
  function startSession(payload) {
    keepTokens(payload);
    signInForm.reset();
    showCodeField(false);
    for (const status of allStatuses) setStatus(status, '');
    who.textContent = payload.user.username;
    signInSection.hidden = true;
    account.hidden = false;
    whoHeading.focus();
    void loadMe();
    void loadSessions();
    void loadSecondFactors();
  }

  /**
   * Forgets the tokens and everything shown about the account (recovery codes above all).
   * @param {string} message
   * @param {StatusKind} kind
   */
  function endSession(message, kind) {
    tokens = undefined;
    who.textContent = '';
    sessionRows.replaceChildren();
    forgetTotpEnrollment();
    recoveryCodeList.replaceChildren();
    recoveryCodes.hidden = true;
    passkeyList.replaceChildren();
    for (const form of [totpConfirmForm, totpDisableForm, passkeyAddForm, passwordForm]) form.reset();
    for (const status of allStatuses) setStatus(status, '');
    account.hidden = true;
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

  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void signInWithPassword();
  });

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

  signOutButton.addEventListener('click', () => {
    void signOut();
  });

  async function signOut() {
    signOutButton.disabled = true;
    try {
      await asUser(LOGOUT);
      endSession('You are signed out.', 'success');
    } catch (error) {
      if (tokens) endSession(`You are signed out of this page, but the service did not confirm it: ${errorText(error)}`, 'error');
    } finally {
      signOutButton.disabled = false;
    }
  }

  async function loadMe() {
    try {
      /** @type {{ me: User | null }} */
      const data = await asUser(ME);
      if (data.me) who.textContent = data.me.username;
      else endSession('Your session has ended. Sign in again.', 'note');
    } catch (error) {
      if (tokens) setStatus(whoStatus, errorText(error), 'error');
    }
  }

  // ---- sessions ----

  async function loadSessions() {
    try {
      await showSessions();
    } catch (error) {
      if (tokens) setStatus(sessionsStatus, errorText(error), 'error');
    }
  }

  async function showSessions() {
    /** @type {{ sessions: readonly Session[] }} */
    const data = await asUser(SESSIONS);
    sessionRows.replaceChildren(...data.sessions.map(sessionRow));
  }

  /**
   * Which browser on which system, first match winning: Edge and Opera also say Chrome,
   * and Chrome also says Safari.
   * @type {readonly (readonly [RegExp, string])[]}
   */
  const BROWSERS = [
    [/Edg(A|iOS)?\//, 'Edge'],
    [/OPR\//, 'Opera'],
    [/Firefox\/|FxiOS\//, 'Firefox'],
    [/HeadlessChrome\//, 'Headless Chrome'],
    [/Chrome\/|CriOS\//, 'Chrome'],
    [/Safari\//, 'Safari'],
  ];
  /** @type {readonly (readonly [RegExp, string])[]} */
  const SYSTEMS = [
    [/Android/, 'Android'],
    [/iPhone|iPad/, 'iOS'],
    [/Windows/, 'Windows'],
    [/Mac OS X/, 'macOS'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ];

  /**
   * "Chrome on Windows" for a browser's user agent; anything else (a program's own
   * name, say) as it is.
   * @param {string} userAgent
   */
  function describeUserAgent(userAgent) {
    const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent));
    const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent));
    return browser && system ? `${browser[1]} on ${system[1]}` : userAgent;
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

  reloadSessionsButton.addEventListener('click', () => {
    void run(reloadSessionsButton, sessionsStatus, async () => {
      await showSessions();
      return 'Sessions reloaded.';
    });
  });

  // ---- second factors ----

  async function loadSecondFactors() {
    try {
      await showSecondFactors();
    } catch (error) {
      if (!tokens) return;
      // Both sections come from one query: each says why it is empty, and the rest of the page works on.
      const text = `Cannot show this now: ${errorText(error)}`;
      setStatus(totpStatus, text, 'error');
      setStatus(passkeysStatus, text, 'error');
      totpOff.hidden = true;
      totpOn.hidden = true;
      passkeyList.hidden = true;
      passkeysEmpty.hidden = true;
      passkeyAddForm.hidden = true;
    }
  }

  async function showSecondFactors() {
    /** @type {{ secondFactors: SecondFactors }} */
    const data = await asUser(SECOND_FACTORS);
    const factors = data.secondFactors;
    totpOn.hidden = !factors.totpEnabled;
    totpOff.hidden = factors.totpEnabled || !totpEnrollment.hidden;
    if (factors.totpEnabled) forgetTotpEnrollment();
    recoveryCodesLeft.textContent = String(factors.recoveryCodesLeft);
    passkeyList.replaceChildren(...factors.passkeys.map(passkeyItem));
    passkeyList.hidden = factors.passkeys.length === 0;
    passkeysEmpty.hidden = factors.passkeys.length > 0;
    passkeyAddForm.hidden = !canUsePasskeys();
    if (!canUsePasskeys()) setStatus(passkeysStatus, 'This browser cannot use passkeys.', 'note');
  }

  function forgetTotpEnrollment() {
    totpEnrollment.hidden = true;
    totpQr.replaceChildren();
    totpSecret.textContent = '';
  }

  totpEnrollButton.addEventListener('click', () => {
    void run(totpEnrollButton, totpStatus, async () => {
      /** @type {{ enrollTotp: TotpEnrollment }} */
      const data = await asUser(ENROLL_TOTP);
      totpQr.replaceChildren(qrCodeSvg(data.enrollTotp.otpauthUrl, 'QR code to scan with your authenticator app'));
      totpSecret.textContent = data.enrollTotp.secret;
      recoveryCodes.hidden = true;
      totpOff.hidden = true;
      totpEnrollment.hidden = false;
      totpConfirmCode.focus();
      return 'Scan the QR code, then enter the code your app shows.';
    });
  });

  onSubmit(totpConfirmForm, totpStatus, async () => {
    /** @type {{ confirmTotp: readonly string[] }} */
    const data = await asUser(CONFIRM_TOTP, { code: totpConfirmCode.value.trim() });
    totpConfirmForm.reset();
    forgetTotpEnrollment();
    recoveryCodeList.replaceChildren(...data.confirmTotp.map((code) => element('li', code)));
    recoveryCodes.hidden = false;
    await showSecondFactors();
    return 'Your authenticator app is on. Store your recovery codes now.';
  });

  onSubmit(totpDisableForm, totpStatus, async () => {
    /** @type {{ disableTotp: boolean }} */
    const data = await asUser(DISABLE_TOTP, { code: totpDisableCode.value.trim() });
    if (!data.disableTotp) throw new OperationError('That code was not accepted.');
    totpDisableForm.reset();
    recoveryCodeList.replaceChildren();
    recoveryCodes.hidden = true;
    await showSecondFactors();
    return 'Your authenticator app is off.';
  });

  /** @param {Passkey} passkey */
  function passkeyItem(passkey) {
    const name = passkey.name || 'Passkey';
    const created = formatTime(passkey.createdAt);
    const used = passkey.lastUsedAt === null ? 'never used' : `last used ${formatTime(passkey.lastUsedAt)}`;
    const synced = passkey.backedUp ? ', synced between devices' : '';
    const details = element('span');
    details.append(element('strong', name), element('br'), element('span', `Created ${created}, ${used}${synced}`, 'passkey-details'));
    const remove = element('button', 'Remove', 'danger');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove passkey ${name} created ${created}`);
    remove.addEventListener('click', () => {
      void run(remove, passkeysStatus, async () => {
        /** @type {{ removePasskey: boolean }} */
        const data = await asUser(REMOVE_PASSKEY, { id: passkey.id });
        await showSecondFactors();
        passkeysHeading.focus();
        return data.removePasskey ? `Passkey ${name} removed.` : 'That passkey was already gone.';
      });
    });
    const item = element('li');
    item.append(details, remove);
    return item;
  }

  onSubmit(passkeyAddForm, passkeysStatus, async () => {
    /** @type {{ passkeyRegistrationOptions: PublicKeyCredentialCreationOptionsJSON }} */
    const options = await asUser(PASSKEY_REGISTRATION_OPTIONS);
    const credential = await navigator.credentials.create({ publicKey: creationOptionsFrom(options.passkeyRegistrationOptions) });
    if (!(credential instanceof PublicKeyCredential)) throw new OperationError('No passkey was created.');
    const name = passkeyNameInput.value.trim();
    /** @type {{ registerPasskey: boolean }} */
    const data = await asUser(REGISTER_PASSKEY, { response: credentialToJson(credential), name: name === '' ? null : name });
    if (!data.registerPasskey) throw new OperationError('The service did not accept this passkey.');
    passkeyAddForm.reset();
    await showSecondFactors();
    return 'Passkey added.';
  });

  // ---- password ----

  onSubmit(passwordForm, passwordStatus, async () => {
    await asUser(CHANGE_PASSWORD, { currentPassword: currentPasswordInput.value, newPassword: newPasswordInput.value });
    passwordForm.reset();
    // The service ended every other session.
    await loadSessions();
    return 'Your password is changed. Your other sessions are signed out.';
  });

  // ---- QR code ----

  const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
  /** The blank margin a scanner needs around the code, in modules. */
  const QUIET_ZONE = 4;

  /**
   * Draws the QR code of `text` here, so the secret in it never leaves the page. One
   * rectangle per run of dark modules in a row keeps the element count low.
   * @param {string} text
   * @param {string} label
   * @returns {SVGSVGElement}
   */
  function qrCodeSvg(text, label) {
    const code = qrcode(0, 'M');
    code.addData(text);
    code.make();
    const count = code.getModuleCount();
    const size = count + QUIET_ZONE * 2;
    const svg = document.createElementNS(SVG_NAMESPACE, 'svg');
    svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    svg.setAttribute('shape-rendering', 'crispEdges');
    svg.append(rectangle(0, 0, size, '#ffffff'));
    for (let row = 0; row < count; row += 1) {
      let column = 0;
      while (column < count) {
        if (!code.isDark(row, column)) {
          column += 1;
          continue;
        }
        let end = column + 1;
        while (end < count && code.isDark(row, end)) end += 1;
        svg.append(rectangle(column + QUIET_ZONE, row + QUIET_ZONE, end - column, '#000000', 1));
        column = end;
      }
    }
    return svg;
  }

  /**
   * @param {number} x
   * @param {number} y
   * @param {number} width
   * @param {string} fill
   * @param {number} [height] the width when absent
   */
  function rectangle(x, y, width, fill, height = width) {
    const rect = document.createElementNS(SVG_NAMESPACE, 'rect');
    rect.setAttribute('x', String(x));
    rect.setAttribute('y', String(y));
    rect.setAttribute('width', String(width));
    rect.setAttribute('height', String(height));
    rect.setAttribute('fill', fill);
    return rect;
  }

  // ---- WebAuthn JSON ----

  function canUsePasskeys() {
    return typeof PublicKeyCredential === 'function' && navigator.credentials !== undefined;
  }

  /** @param {string} text base64url, with or without padding */
  function fromBase64Url(text) {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
    return bytes.buffer;
  }

  /** @param {ArrayBuffer} buffer */
  function toBase64Url(buffer) {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  /**
   * @param {PublicKeyCredentialDescriptorJSON} descriptor
   * @returns {PublicKeyCredentialDescriptor}
   */
  function descriptorFrom(descriptor) {
    return {
      id: fromBase64Url(descriptor.id),
      type: 'public-key',
      transports: /** @type {AuthenticatorTransport[] | undefined} */ (descriptor.transports),
    };
  }

  /**
   * The browser's own parser where it has one; otherwise the binary fields by hand.
   * @param {PublicKeyCredentialCreationOptionsJSON} json
   * @returns {PublicKeyCredentialCreationOptions}
   */
  function creationOptionsFrom(json) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    return {
      rp: json.rp,
      user: { id: fromBase64Url(json.user.id), name: json.user.name, displayName: json.user.displayName },
      challenge: fromBase64Url(json.challenge),
      pubKeyCredParams: json.pubKeyCredParams,
      timeout: json.timeout,
      excludeCredentials: json.excludeCredentials?.map(descriptorFrom),
      authenticatorSelection: json.authenticatorSelection,
      attestation: /** @type {AttestationConveyancePreference | undefined} */ (json.attestation),
      extensions: /** @type {AuthenticationExtensionsClientInputs | undefined} */ (json.extensions),
    };
  }

  /**
   * @param {PublicKeyCredentialRequestOptionsJSON} json
   * @returns {PublicKeyCredentialRequestOptions}
   */
  function requestOptionsFrom(json) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return {
      challenge: fromBase64Url(json.challenge),
      rpId: json.rpId,
      timeout: json.timeout,
      allowCredentials: json.allowCredentials?.map(descriptorFrom),
      userVerification: /** @type {UserVerificationRequirement | undefined} */ (json.userVerification),
      extensions: /** @type {AuthenticationExtensionsClientInputs | undefined} */ (json.extensions),
    };
  }

  /**
   * A new or used credential as the service reads it (RegistrationResponseJSON or
   * AuthenticationResponseJSON): every binary field base64url without padding.
   * @param {PublicKeyCredential} credential
   * @returns {unknown}
   */
  function credentialToJson(credential) {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const { response } = credential;
    /** @type {Record<string, unknown>} */
    const responseJson = { clientDataJSON: toBase64Url(response.clientDataJSON) };
    if (response instanceof AuthenticatorAttestationResponse) {
      responseJson.attestationObject = toBase64Url(response.attestationObject);
      if (typeof response.getTransports === 'function') responseJson.transports = response.getTransports();
    } else if (response instanceof AuthenticatorAssertionResponse) {
      responseJson.authenticatorData = toBase64Url(response.authenticatorData);
      responseJson.signature = toBase64Url(response.signature);
      if (response.userHandle) responseJson.userHandle = toBase64Url(response.userHandle);
    }
    return {
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      response: responseJson,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    };
  }

  passkeySignInRow.hidden = !canUsePasskeys();
})();
