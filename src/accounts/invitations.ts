import { BadUserInputError, ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import { normalizeEmail } from '../users/email-address';
import type { UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';
import type { AccountTokenPayload, AccountTokenStore } from './account-token-store';
import type { SignUpPolicy } from './accounts-config';

export interface InvitationDeps {
  readonly policy: SignUpPolicy;
  readonly users: UserStore;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly lifetimeMs: number;
  /** The account service's own check of authority names: an invitation grants nothing it would refuse. */
  readonly checkAuthorities: (authorities: readonly string[]) => string[];
}

/** An administrator's invitation to sign up with one address, granting these authorities. */
export type InviteUser = (email: string, authorities: readonly string[], invitedBy: string) => Promise<true>;

export function createInviteUser({ policy, users, tokens, mailer, lifetimeMs, checkAuthorities }: InvitationDeps): InviteUser {
  return async (email, authorities, invitedBy) => {
    if (policy === 'closed') {
      throw new ForbiddenError('Invitations need SIGNUP_POLICY=invite or open: with sign-up closed, create the account instead', {
        details: { reason: 'SIGNUP_CLOSED' },
      });
    }
    mailer.requireMail();
    const address = normalizeEmail(email);
    const granted = checkAuthorities(authorities);
    // An administrator may know which addresses have accounts.
    if (await users.findByEmail(address)) throw new BadUserInputError('An account already has this address', { details: { field: 'email' } });
    const token = await tokens.issue('invitation', { email: address, authorities: JSON.stringify(granted), invitedBy }, lifetimeMs);
    mailer.invitation(address, token);
    return true;
  };
}

/** The authorities an invitation grants, as stored in its payload. */
export function invitationAuthorities(invitation: AccountTokenPayload): string[] {
  const parsed: unknown = JSON.parse(invitation.authorities ?? '[]');
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}
