/** Who may create an account: only administrators, whoever holds an invitation, or anyone. */
export type SignUpPolicy = 'closed' | 'invite' | 'open';

export interface AccountsConfig {
  readonly signUpPolicy: SignUpPolicy;
  /** Login is refused until an account's address is verified (accounts without an address are not affected). */
  readonly requireVerifiedEmail: boolean;
  /** The application the mails link to: `<appUrl>/verify-email?token=...` and so on. */
  readonly appUrl: string;
  readonly tokenLifetimes: AccountTokenLifetimes;
}

export interface AccountTokenLifetimes {
  readonly verifyEmailMs: number;
  readonly passwordResetMs: number;
  readonly invitationMs: number;
}
