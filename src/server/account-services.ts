import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { AppConfig } from '../config/config';
import { createLoginThrottle, type LoginThrottle } from '../brute-force/login-throttle';
import { createSessionService, type SessionService } from '../sessions/session-service';
import type { SessionStore } from '../sessions/session-store';
import { type AccountService, createAccountService } from '../users/account-service';
import type { PasswordHasher } from '../users/passwords';
import type { UserStore } from '../users/user-store';
import type { Stores } from './stores';

/** What works on accounts: the resolvers and the CLI call the same three. */
export interface AccountServices {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly loginThrottle: LoginThrottle;
}

export interface AccountServicesDeps {
  readonly config: Pick<AppConfig, 'bruteForce' | 'serverSecret'>;
  /** The stores, with `users` and `sessionStore` as the caller wants them (instrumented or not). */
  readonly stores: Pick<Stores, 'failureCounters'> & { readonly users: UserStore; readonly sessionStore: SessionStore };
  readonly passwords: PasswordHasher;
  readonly clock: Clock;
}

export function createAccountServices({ config, stores, passwords, clock }: AccountServicesDeps): AccountServices {
  const loginThrottle = createLoginThrottle({ store: stores.failureCounters, config: config.bruteForce, serverSecret: config.serverSecret, clock });
  const accounts = createAccountService({ users: stores.users, sessions: stores.sessionStore, passwords, clock, throttle: loginThrottle });
  return { accounts, sessions: createSessionService(stores.sessionStore), loginThrottle };
}
