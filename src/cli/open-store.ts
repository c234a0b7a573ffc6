import { systemClock } from '@graphql-auth-service/subgraph/clock';
import type { AppConfig } from '../config/config';
import { closeRedisClient, createRedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { connectRedis } from '../redis/connect-redis';
import { createAccountServices } from '../server/account-services';
import { createStores, type StoreBackend } from '../server/stores';
import { openPostgres } from '../postgres/connect-postgres';
import { createBcryptHasher } from '../users/passwords';
import pino from 'pino';
import { createInviteUser } from '../accounts/invitations';
import { createAccountMail } from '../server/account-mail';
import { normalizeEmail } from '../users/email-address';
import type { CommandContext } from './commands';
import { MailNotSentError, NoStoreConfiguredError } from './cli-errors';

/** A refused or unroutable connection fails at once; this bounds a silent one (a firewall dropping packets). */
const CONNECT_DEADLINE_MS = 5_000;

export interface OpenStore {
  readonly services: Pick<CommandContext, 'accounts' | 'sessions' | 'loginThrottle' | 'invite' | 'secondFactors'>;
  close(): Promise<void>;
}

/**
 * The account services and the second-factor store of the configured store, built by
 * the same factories the server uses, and nothing else: no HTTP server, metrics or
 * token keys. One command hashes at most one password, so bcrypt runs on this thread
 * (no worker pool). The CLI owns the Redis client, so a failed connect is its to report
 * (exit 3) and to close.
 */
export async function openStore(config: AppConfig): Promise<OpenStore> {
  const connection = await connectBackend(config);
  try {
    const stores = createStores(connection.backend, {
      keyPrefix: config.redisKeyPrefix,
      clock: systemClock,
      revocationMemoryMs: config.jwt.accessTokenTtlMs,
      durability: config.revocationDurability,
      revocationMarksOnCheck: config.sessions.check === 'record',
    });
    const passwords = await createBcryptHasher(config.bcryptCost, { workers: 0, maxQueue: 1 });
    const accountServices = createAccountServices({ config, stores, passwords, clock: systemClock });
    const invite = async (email: string, authorities: readonly string[]): Promise<string> => {
      // One attempt, waited for: a command reports what happened instead of retrying in the background.
      const mail = createAccountMail(config, pino({ level: 'warn' }, pino.destination(2)), { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 });
      const inviteUser = createInviteUser({
        policy: config.accounts.signUpPolicy,
        users: stores.users,
        tokens: stores.accountTokens,
        mailer: mail.mailer,
        lifetimeMs: config.accounts.tokenLifetimes.invitationMs,
        checkAuthorities: (given) => accountServices.accounts.checkAuthorities(given),
      });
      let refused: unknown;
      try {
        await inviteUser(email, authorities, 'cli');
      } catch (error) {
        refused = error;
      }
      // Closed either way: it waits for the attempt under way.
      const unsent = await mail.close();
      if (refused !== undefined) throw refused;
      if (unsent > 0) throw new MailNotSentError('The invitation could not be mailed (the reason is above); nothing was sent');
      return normalizeEmail(email);
    };
    const services = { ...accountServices, invite, secondFactors: stores.secondFactors };
    const close = async () => {
      await passwords.close();
      await connection.close();
    };
    return { services, close };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** The configured store's connection, made as the service makes it; a failure says why (exit 3). */
async function connectBackend(config: AppConfig): Promise<{ backend: StoreBackend; close(): Promise<void> }> {
  if (config.store === 'postgres' && config.database) {
    const { pool } = await openPostgres(config.database);
    return { backend: { kind: 'postgres', postgres: pool }, close: () => pool.end() };
  }
  if (config.store !== 'redis' || config.redis.kind === 'memory') throw new NoStoreConfiguredError();
  const redis = createRedisClient(config.redis);
  // Without a listener ioredis prints every failed reconnect; the CLI reports the failure once, on exit.
  redis.on('error', () => undefined);
  try {
    await connectRedis(redis, config.redis, CONNECT_DEADLINE_MS);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return { backend: { kind: 'redis', redis }, close: () => closeRedisClient(redis) };
}
