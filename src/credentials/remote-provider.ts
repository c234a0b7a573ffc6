import type { Logger } from 'pino';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { INVALID_CREDENTIALS_MESSAGE, ServiceUnavailableError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { AccountService, ExternalIdentity } from '../users/account-service';
import type { CredentialProvider } from './credential-provider';
import { legacyExternalUserId } from './legacy-external-user-id';
import type { RemoteIdentityStore } from './remote-identity-store';

export interface RemoteProviderDeps {
  readonly url: string;
  readonly timeoutMs: number;
  readonly accounts: AccountService;
  readonly identities: RemoteIdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * A remote authentication system: POST {username, password} as JSON; a 2xx answer
 * with {id, username, authorities} means valid, any 4xx means invalid. The user gets
 * a local account record (no password), so sessions, the cap, live authorities and
 * disabling work exactly as for local users; authorities follow the remote at each login.
 */
export function createRemoteProvider({ url, timeoutMs, accounts, identities, clock, logger }: RemoteProviderDeps): CredentialProvider {
  /**
   * The remote user's local id: claimed at its first login, random, so nobody can
   * compute it from the remote id. An account made by an earlier version under the
   * digest id keeps that id (other subgraphs may hold it), and is claimed on the way.
   */
  async function localIdOf(remoteId: string): Promise<string> {
    const known = await identities.find(remoteId);
    if (known !== undefined) return known;
    const legacyId = legacyExternalUserId(remoteId);
    const candidate = (await accounts.findById(legacyId)) ? legacyId : newUserId(clock.now());
    return identities.claim(remoteId, candidate);
  }

  async function ask(username: string, password: string): Promise<Response> {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'remote authentication system unreachable');
      throw unavailable(error);
    }
  }

  return {
    name: 'remote',
    async verify(username, password) {
      const response = await ask(username, password);
      if (response.status >= 400 && response.status < 500) {
        await response.body?.cancel();
        throw new UnauthenticatedError(INVALID_CREDENTIALS_MESSAGE, { logReason: `remote answered ${response.status}` });
      }
      if (!response.ok) {
        await response.body?.cancel();
        logger.warn({ status: response.status }, 'remote authentication system failed');
        throw unavailable();
      }
      const identity = await readIdentity(response);
      if (!identity) {
        logger.warn('remote authentication system answered 2xx without {id, username, authorities}');
        throw unavailable();
      }
      const user = await accounts.syncExternal(await localIdOf(identity.remoteId), identity);
      if (user.disabled) throw new UnauthenticatedError('This account is disabled', { logReason: 'disabled' });
      return user;
    },
  };
}

async function readIdentity(response: Response): Promise<ExternalIdentity | undefined> {
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { id, username, authorities } = (body ?? {}) as Record<string, unknown>;
  const validId = (typeof id === 'string' && id.length > 0 && id.length <= 256) || Number.isSafeInteger(id);
  if (!validId || typeof username !== 'string' || username.length === 0 || username.length > 256) return undefined;
  if (!Array.isArray(authorities) || !authorities.every((authority) => typeof authority === 'string')) return undefined;
  return { remoteId: String(id), username, authorities };
}

function unavailable(cause?: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError('The authentication system is unavailable; try again shortly', {
    logReason: 'remote provider unavailable',
    cause,
  });
}
