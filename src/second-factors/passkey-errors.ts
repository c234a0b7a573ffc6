import { BadUserInputError, ForbiddenError } from '@graphql-auth-service/subgraph/errors';

export function passkeysNotConfigured(): ForbiddenError {
  return new ForbiddenError('Passkeys are not available on this server (WEBAUTHN_RP_ID is not set)', { details: { reason: 'PASSKEYS_NOT_CONFIGURED' } });
}

/** A registration the server cannot accept; why goes to the log only. */
export function unverifiedRegistration(logReason: string): BadUserInputError {
  return new BadUserInputError('The passkey could not be verified: start again', { details: { field: 'response' }, logReason });
}
