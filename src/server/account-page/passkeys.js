// @ts-check

/** The passkeys section: the user's passkeys, adding one, removing any. */

import { onSubmit, run } from './actions.js';
import { asUser } from './auth.js';
import { byId, element, formatTime, setStatus, statusLine } from './dom.js';
import { OperationError } from './graphql.js';
import { showSecondFactors, showSecondFactorsIn } from './second-factors.js';
import { canUsePasskeys, creationOptionsFrom, credentialToJson } from './webauthn-json.js';

/** @import { Passkey } from './second-factors.js' */

const PASSKEY_REGISTRATION_OPTIONS = 'mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }';
const REGISTER_PASSKEY = 'mutation RegisterPasskey($response: JSON!, $name: String) { registerPasskey(response: $response, name: $name) }';
const REMOVE_PASSKEY = 'mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }';

const passkeysHeading = byId('passkeys-heading', HTMLHeadingElement);
const passkeysStatus = statusLine('passkeys-status');
const passkeysEmpty = byId('passkeys-empty', HTMLParagraphElement);
const passkeyList = byId('passkey-list', HTMLUListElement);
const passkeyAddForm = byId('passkey-add-form', HTMLFormElement);
const passkeyNameInput = byId('passkey-name', HTMLInputElement);

export function setUpPasskeys() {
  showSecondFactorsIn({
    show: (factors) => showPasskeys(factors.passkeys),
    unavailable(text) {
      setStatus(passkeysStatus, text, 'error');
      passkeyList.hidden = true;
      passkeysEmpty.hidden = true;
      passkeyAddForm.hidden = true;
    },
  });

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
}

export function clearPasskeys() {
  passkeyList.replaceChildren();
  passkeyAddForm.reset();
}

/** @param {readonly Passkey[]} passkeys */
function showPasskeys(passkeys) {
  passkeyList.replaceChildren(...passkeys.map(passkeyItem));
  passkeyList.hidden = passkeys.length === 0;
  passkeysEmpty.hidden = passkeys.length > 0;
  passkeyAddForm.hidden = !canUsePasskeys();
  if (!canUsePasskeys()) setStatus(passkeysStatus, 'This browser cannot use passkeys.', 'note');
}

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
