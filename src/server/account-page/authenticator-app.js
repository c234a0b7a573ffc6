// @ts-check

/**
 * The authenticator app section: setting one up from a QR code drawn on the page, the
 * recovery codes shown once, and turning it off with a code.
 */

import { onSubmit, run } from './actions.js';
import { asUser } from './auth.js';
import { byId, element, setStatus, statusLine } from './dom.js';
import { OperationError } from './graphql.js';
import { qrCodeSvg } from './qr-code.js';
import { showSecondFactors, showSecondFactorsIn } from './second-factors.js';

/** @import { SecondFactors } from './second-factors.js' */

const ENROLL_TOTP = 'mutation EnrollTotp { enrollTotp { secret otpauthUrl } }';
const CONFIRM_TOTP = 'mutation ConfirmTotp($code: String!) { confirmTotp(code: $code) }';
const DISABLE_TOTP = 'mutation DisableTotp($code: String!) { disableTotp(code: $code) }';

/** @typedef {{ readonly secret: string, readonly otpauthUrl: string }} TotpEnrollment */

const totpStatus = statusLine('totp-status');
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

export function setUpAuthenticatorApp() {
  showSecondFactorsIn({
    show: showAuthenticatorApp,
    unavailable(text) {
      setStatus(totpStatus, text, 'error');
      totpOff.hidden = true;
      totpOn.hidden = true;
    },
  });

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
}

/** Forgets what was shown of the secret and the recovery codes. */
export function clearAuthenticatorApp() {
  forgetTotpEnrollment();
  recoveryCodeList.replaceChildren();
  recoveryCodes.hidden = true;
  totpConfirmForm.reset();
  totpDisableForm.reset();
}

/** @param {SecondFactors} factors */
function showAuthenticatorApp(factors) {
  totpOn.hidden = !factors.totpEnabled;
  totpOff.hidden = factors.totpEnabled || !totpEnrollment.hidden;
  if (factors.totpEnabled) forgetTotpEnrollment();
  recoveryCodesLeft.textContent = String(factors.recoveryCodesLeft);
}

function forgetTotpEnrollment() {
  totpEnrollment.hidden = true;
  totpQr.replaceChildren();
  totpSecret.textContent = '';
}
