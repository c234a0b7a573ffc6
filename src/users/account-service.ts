import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { BadUserInputError, ForbiddenError, INVALID_CREDENTIALS_MESSAGE, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { isUserId, newUserId } from '@graphql-auth-service/subgraph/ids';
import { NO_LOCAL_PASSWORD, type PasswordGuessGuard, type SessionRevoker } from './account-ports';
import type { PasswordHasher } from './passwords';
import { assertAcceptablePassword, MAX_PASSWORD_BYTES } from './password-policy';
import type { UserChanges, UserPage, UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { isAuthority } from './authority';
import { normalizeEmail } from './email-address';
import { EmailTakenError, UsernameTakenError, UsernameTooSimilarError, type UserStore } from './user-store';
import { normalizeUsername } from './username';
import { acceptableUsername } from './username-policy';

export interface AccountServiceDeps {
  readonly users: UserStore;
  readonly sessions: SessionRevoker;
  readonly passwords: PasswordHasher;
  readonly clock: Clock;
  /** The current password of changePassword is a password guess like a login's. */
  readonly throttle: PasswordGuessGuard;
}

/** A user as a remote authentication system describes it. */
export interface ExternalIdentity {
  readonly remoteId: string;
  readonly username: string;
  readonly authorities: readonly string[];
}

/** Not a bcrypt hash: an account with it has no local password and never logs in locally. */

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly authorities?: readonly string[];
  /** Normalised here (normalizeEmail); none by default. */
  readonly email?: string;
  /** Whether `email` is already proven (default false); nothing without an email. */
  readonly emailVerified?: boolean;
}

const MAX_AUTHORITIES = 100;
export const MAX_PAGE_SIZE = 200;

/** Accounts and their lifecycle; knows nothing of GraphQL, so the CLI and resolvers share it. */
export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService({ users, sessions, passwords, clock, throttle }: AccountServiceDeps) {
  async function requireUser(userId: string): Promise<UserRecord> {
    const user = isUserId(userId) ? await users.findById(userId) : undefined;
    if (!user) throw noSuchUser();
    return user;
  }

  async function updateExisting(userId: string, changes: UserChanges): Promise<UserRecord> {
    const updated = isUserId(userId) ? await users.update(userId, changes) : undefined;
    if (!updated) throw noSuchUser();
    return updated;
  }

  /**
   * The signed-in user's current password, checked under the same brute-force protection
   * as login, so a stolen access token cannot be used to guess it. A wrong one is
   * BAD_USER_INPUT on `currentPassword`, not UNAUTHENTICATED: the caller's token is fine,
   * and clients treat that code as "log in again". Answers the account.
   */
  async function confirmCurrentPassword(userId: string, current: string, clientAddress?: string): Promise<UserRecord> {
    const user = await requireUser(userId);
    const wrongCurrent = new BadUserInputError('The current password is wrong', { details: { field: 'currentPassword' } });
    await throttle.guard(
      user.username,
      clientAddress,
      async () => {
        if (!(await passwords.verify(current, user.passwordHash))) throw wrongCurrent;
      },
      (error) => error === wrongCurrent,
    );
    return user;
  }

  return {
    async create(account: NewAccount): Promise<UserRecord> {
      const username = acceptableUsername(account.username);
      const email = account.email === undefined ? undefined : normalizeEmail(account.email);
      assertAcceptablePassword(account.password, username);
      const user: UserRecord = {
        id: newUserId(clock.now()),
        username,
        passwordHash: await passwords.hash(account.password),
        authorities: checkedAuthorities(account.authorities ?? []),
        disabled: false,
        createdAt: clock.now(),
        ...(email !== undefined && { email, emailVerified: account.emailVerified ?? false }),
      };
      try {
        await users.create(user);
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new BadUserInputError('That email address is taken', { details: { field: 'email' } });
        }
        if (error instanceof UsernameTooSimilarError) {
          throw new BadUserInputError('That username is too similar to an existing one', { details: { field: 'username' } });
        }
        if (error instanceof UsernameTakenError) {
          throw new BadUserInputError('That username is taken', { details: { field: 'username' } });
        }
        throw error;
      }
      return user;
    },

    /**
     * Checks a username and password. Unknown user, wrong password and a too-long
     * password all spend one bcrypt compare and fail with the same message.
     */
    async authenticate(username: string, password: string): Promise<UserRecord> {
      const user =
        Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES
          ? undefined
          : await users.findByUsername(normalizeUsername(username));
      if (!user || user.passwordHash === NO_LOCAL_PASSWORD) {
        await passwords.spendDummyVerify(password);
        throw new UnauthenticatedError(INVALID_CREDENTIALS_MESSAGE, { logReason: 'unknown user' });
      }
      if (!(await passwords.verify(password, user.passwordHash))) {
        throw new UnauthenticatedError(INVALID_CREDENTIALS_MESSAGE, { logReason: 'wrong password' });
      }
      // Said only to someone who knows the password, so it reveals nothing to a guesser.
      if (user.disabled) throw new UnauthenticatedError('This account is disabled', { logReason: 'disabled' });
      return user;
    },

    /**
     * The local record of a remotely verified user: created at first login, its
     * authorities refreshed at each one. A local administrator can still disable it.
     */
    async syncExternal(userId: string, identity: ExternalIdentity): Promise<UserRecord> {
      const authorities = identity.authorities.filter(isAuthority).slice(0, MAX_AUTHORITIES);
      const existing = await users.findById(userId);
      if (existing) return (await users.update(userId, { authorities: [...new Set(authorities)] })) ?? existing;
      // Said only after the remote system accepted the password: it tells a guesser nothing.
      const notAccepted = (reason: string) =>
        new ForbiddenError('This username cannot be used here; ask the administrator of your account to rename it', {
          details: { reason: 'USERNAME_NOT_ACCEPTED' },
          logReason: reason,
        });
      let username: string;
      try {
        username = acceptableUsername(identity.username);
      } catch (error) {
        if (error instanceof BadUserInputError) throw notAccepted(error.logReason ?? 'username profile');
        throw error;
      }
      const user: UserRecord = {
        id: userId,
        username,
        passwordHash: NO_LOCAL_PASSWORD,
        authorities: [...new Set(authorities)],
        disabled: false,
        createdAt: clock.now(),
      };
      try {
        await users.create(user);
      } catch (error) {
        if (error instanceof UsernameTooSimilarError) throw notAccepted('username too similar to another account');
        if (error instanceof UsernameTakenError) throw notAccepted('username held by another account');
        throw error;
      }
      return user;
    },

    findById: (userId: string): Promise<UserRecord | undefined> =>
      isUserId(userId) ? users.findById(userId) : Promise.resolve(undefined),

    findByUsername: (username: string): Promise<UserRecord | undefined> =>
      users.findByUsername(normalizeUsername(username)),

    list(first: number, after?: string): Promise<UserPage> {
      if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
        throw new BadUserInputError(`first must be from 0 to ${MAX_PAGE_SIZE}`, { details: { field: 'first' } });
      }
      return users.list(first, after);
    },

    setAuthorities(userId: string, authorities: readonly string[]): Promise<UserRecord> {
      return updateExisting(userId, { authorities: checkedAuthorities(authorities) });
    },

    /** Disabling also revokes every session, so the user's tokens stop working at once. */
    async setDisabled(userId: string, disabled: boolean): Promise<UserRecord> {
      const updated = await updateExisting(userId, { disabled });
      if (disabled) await sessions.revokeAll(userId);
      return updated;
    },

    confirmCurrentPassword,

    /** Keeps the caller's session and revokes every other one. */
    async changePassword(
      userId: string,
      currentSessionId: string,
      current: string,
      next: string,
      clientAddress?: string,
    ): Promise<void> {
      const user = await confirmCurrentPassword(userId, current, clientAddress);
      assertAcceptablePassword(next, user.username, 'newPassword');
      await users.update(userId, { passwordHash: await passwords.hash(next) });
      await sessions.revokeAll(userId, currentSessionId);
    },

    async forceLogout(userId: string): Promise<number> {
      await requireUser(userId);
      return sessions.revokeAll(userId);
    },

    /** The authorities as an account would be given them (deduplicated), or BAD_USER_INPUT naming the rule. */
    checkAuthorities: checkedAuthorities,
  };
}

function noSuchUser(): BadUserInputError {
  return new BadUserInputError('No user with that id', { details: { field: 'userId' } });
}

function checkedAuthorities(authorities: readonly string[]): string[] {
  const unique = [...new Set(authorities)];
  if (unique.length > MAX_AUTHORITIES || !unique.every(isAuthority)) {
    throw new BadUserInputError(
      `Authorities must be at most ${MAX_AUTHORITIES} strings of 1 to 128 printable ASCII characters without spaces`,
      { details: { field: 'authorities' } },
    );
  }
  return unique;
}
