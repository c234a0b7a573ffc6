// @ts-check

/**
 * WebAuthn's options and credentials in the JSON shapes the service reads and writes
 * (every binary field base64url), converted from and to what the browser's
 * `navigator.credentials` takes and gives.
 */

export function canUsePasskeys() {
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
export function creationOptionsFrom(json) {
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
export function requestOptionsFrom(json) {
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
export function credentialToJson(credential) {
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
