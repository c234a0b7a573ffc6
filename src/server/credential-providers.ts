import type { Logger } from 'pino';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { AuthProviderConfig } from '../config/config';
import type { CredentialProvider } from '../credentials/credential-provider';
import { createLocalProvider } from '../credentials/local-provider';
import { createRemoteProvider } from '../credentials/remote-provider';
import type { RemoteIdentityStore } from '../credentials/remote-identity-store';
import type { AccountService } from '../users/account-service';

export interface CredentialProviderDeps {
  readonly accounts: AccountService;
  readonly identities: RemoteIdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

type ProviderFactories = {
  readonly [Kind in AuthProviderConfig['kind']]: (config: Extract<AuthProviderConfig, { kind: Kind }>, deps: CredentialProviderDeps) => CredentialProvider;
};

/** Every credential provider by the AUTH_PROVIDER value that selects it. */
const PROVIDERS: ProviderFactories = {
  local: (_config, deps) => createLocalProvider(deps.accounts),
  remote: (config, deps) => createRemoteProvider({ url: config.url, timeoutMs: config.timeoutMs, ...deps }),
};

export function createCredentialProvider(provider: AuthProviderConfig, deps: CredentialProviderDeps): CredentialProvider {
  const create = PROVIDERS[provider.kind] as (config: AuthProviderConfig, deps: CredentialProviderDeps) => CredentialProvider;
  return create(provider, deps);
}
