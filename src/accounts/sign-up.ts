import { BadUserInputError, ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { AccountService } from '../users/account-service';
import { normalizeEmail } from '../users/email-address';
import { assertAcceptablePassword } from '../users/password-policy';
import type { PasswordHasher } from '../users/passwords';
import { acceptableUsername } from '../users/username-policy';
import type { UserStore } from '../users/user-store';
import type { AccountMailer } from './account-mailer';
import type { AccountTokenStore } from './account-token-store';
import type { SignUpPolicy } from './accounts-config';
import type { EmailVerification } from './email-verification';
import { invitationAuthorities } from './invitations';
import type { MailThrottle } from './mail-throttle';

export interface SignUpRequest {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly inviteToken?: string;
}

export interface SignUpDeps {
  readonly policy: SignUpPolicy;
  readonly users: UserStore;
  readonly accounts: AccountService;
  readonly tokens: AccountTokenStore;
  readonly mailer: AccountMailer;
  readonly throttle: MailThrottle;
  readonly passwords: PasswordHasher;
  readonly verification: EmailVerification;
}

/** True means "check your mail", whether or not the address already had an account. */
export type SignUp = (request: SignUpRequest, clientAddress: string | undefined) => Promise<true>;

const closed = () =>
  new ForbiddenError('Sign-up is closed on this server: an administrator creates accounts', { details: { reason: 'SIGNUP_CLOSED' } });
const badInvitation = () => new BadUserInputError('This invitation is invalid or has expired', { details: { field: 'inviteToken' } });

export function createSignUp(deps: SignUpDeps): SignUp {
  const { policy, users, accounts, tokens, mailer, throttle, passwords, verification } = deps;

  /** Usernames are public, as in every comparable service: a taken one is said so. */
  async function checkedNewAccount(request: SignUpRequest): Promise<{ username: string; email: string }> {
    const username = acceptableUsername(request.username);
    const email = normalizeEmail(request.email);
    assertAcceptablePassword(request.password, username);
    if (await users.findByUsername(username)) throw new BadUserInputError('That username is taken', { details: { field: 'username' } });
    return { username, email };
  }

  /** An invitation proves the address: the account starts verified, with the authorities it names. */
  async function signUpInvited(request: SignUpRequest, inviteToken: string): Promise<true> {
    const invitation = await tokens.peek('invitation', inviteToken);
    if (!invitation) throw badInvitation();
    const { username, email } = await checkedNewAccount(request);
    if (email !== invitation.email) throw new BadUserInputError('Sign up with the address the invitation was sent to', { details: { field: 'email' } });
    if (!(await tokens.consume('invitation', inviteToken))) throw badInvitation();
    await accounts.create({ username, password: request.password, email, emailVerified: true, authorities: invitationAuthorities(invitation) });
    return true;
  }

  return async (request, clientAddress) => {
    if (policy === 'closed') throw closed();
    mailer.requireMail();
    if (request.inviteToken !== undefined) return signUpInvited(request, request.inviteToken);
    if (policy === 'invite') throw new BadUserInputError('Sign-up needs an invitation on this server', { details: { field: 'inviteToken' } });
    const { username, email } = await checkedNewAccount(request);
    await throttle.count(email, clientAddress);
    const owner = await users.findByEmail(email);
    if (owner) return tellOwner(owner, request.password);
    let created: UserRecord;
    try {
      created = await accounts.create({ username, password: request.password, email, emailVerified: false });
    } catch (error) {
      // Claimed by a sign-up racing this one: the same answer as an address known from the start.
      const raced = error instanceof BadUserInputError && error.details.field === 'email' ? await users.findByEmail(email) : undefined;
      if (raced) return tellOwner(raced);
      throw error;
    }
    await verification.send(created);
    return true;
  };

  /** The owner hears of the attempt; the caller gets the answer a new address gets, after the same bcrypt work. */
  async function tellOwner(owner: UserRecord, password?: string): Promise<true> {
    if (password !== undefined) await passwords.hash(password);
    mailer.signUpAttempt(owner.email ?? '', owner.username);
    return true;
  }
}
