import type { AccountService } from './account-service';

export interface BootstrapAdminConfig {
  readonly username: string;
  readonly password: string;
  /** True when neither variable was set and a development admin was made up. */
  readonly generated: boolean;
}

export const ADMIN_AUTHORITY = 'ROLE_ADMIN';

export type BootstrapOutcome = 'created' | 'exists';

/**
 * Creates the configured administrator unless that username exists. Several
 * instances may start at once: the username claim lets exactly one create it.
 */
export async function ensureBootstrapAdmin(
  accounts: AccountService,
  admin: BootstrapAdminConfig,
): Promise<BootstrapOutcome> {
  if (await accounts.findByUsername(admin.username)) return 'exists';
  try {
    await accounts.create({ username: admin.username, password: admin.password, authorities: [ADMIN_AUTHORITY] });
    return 'created';
  } catch (error) {
    if (await accounts.findByUsername(admin.username)) return 'exists';
    throw error;
  }
}
