import { join } from 'node:path';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { defineScript } from '@graphql-auth-service/subgraph/redis/scripts';
import { failClosed, STORE_OPERATION_DEADLINE_MS } from '@graphql-auth-service/subgraph/redis/unavailable';
import { confirmReplicated, type Durability } from '../redis/replication';
import type { PasskeyUse, SecondFactorRecord, SecondFactorStore, StoredPasskey } from './second-factor-store';

export interface RedisSecondFactorStoreDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /** Replicas that must hold a spent code or a removed passkey before it is acknowledged. */
  readonly durability: Durability;
}

const lua = (name: string) => [join(__dirname, 'lua', 'fields.lua'), join(__dirname, 'lua', `${name}.lua`)];

/**
 * A user's second factors in one hash on the user's slot (`{u:<id>}:mfa`):
 *
 *     totp          the active secret: "<confirmedAt>|<sealed secret>"
 *     totp-pending  an enrolment not confirmed yet: "<expiresAt>|<sealed secret>"
 *     totp-step     the last step a code was accepted for (replays are refused)
 *     rc:<hash>     one per unspent recovery code, by its SHA-256
 *     pk:<id>       one per passkey: its public key and registration facts, as JSON
 *     pku:<id>      its signature counter and last use: "<counter>|<lastUsedAt>"
 *     pkc:<digest>  a spent passkey sign-in challenge, until it expires: "<expiresAt>"
 *
 * Every change is one command or one script, so it is atomic. Spending a code and
 * using or removing a passkey wait for replicas: a failover must not bring back a
 * code already spent or a passkey its owner removed.
 */
export function createRedisSecondFactorStore({ redis, keys, durability }: RedisSecondFactorStoreDeps): SecondFactorStore {
  const scripts = {
    activateTotp: defineScript(redis, 'authActivateTotp', 1, lua('activate-totp')),
    removeTotp: defineScript(redis, 'authRemoveTotp', 1, lua('remove-totp')),
    claimTotpStep: defineScript(redis, 'authClaimTotpStep', 1, lua('claim-totp-step')),
    addPasskey: defineScript(redis, 'authAddPasskey', 1, lua('add-passkey')),
    usePasskey: defineScript(redis, 'authUsePasskey', 1, lua('use-passkey')),
    removePasskey: defineScript(redis, 'authRemovePasskey', 1, lua('remove-passkey')),
    removeAll: defineScript(redis, 'authRemoveSecondFactors', 1, lua('remove-all')),
  };

  function durably<T>(userId: string, write: () => Promise<T>): Promise<T> {
    return failClosed(async () => {
      const result = await write();
      await confirmReplicated(redis, keys.secondFactors(userId), durability);
      return result;
    }, STORE_OPERATION_DEADLINE_MS + durability.timeoutMs);
  }

  return {
    async read(userId) {
      return decodeFactors(await failClosed(() => redis.hgetall(keys.secondFactors(userId))));
    },
    async savePendingTotp(userId, pending) {
      await failClosed(() => redis.hset(keys.secondFactors(userId), 'totp-pending', `${pending.expiresAt}|${pending.sealedSecret}`));
    },
    async activateTotp(userId, { sealedSecret, recoveryCodeHashes, step, nowMs }) {
      const activated = await failClosed(() =>
        scripts.activateTotp([keys.secondFactors(userId)], [sealedSecret, nowMs, step, `${nowMs}|${sealedSecret}`, ...recoveryCodeHashes]),
      );
      return activated === 1;
    },
    async removeTotp(userId) {
      return (await durably(userId, () => scripts.removeTotp([keys.secondFactors(userId)], []))) === 1;
    },
    async claimTotpStep(userId, step) {
      return (await durably(userId, () => scripts.claimTotpStep([keys.secondFactors(userId)], [step]))) === 1;
    },
    async spendRecoveryCode(userId, codeHash) {
      return (await durably(userId, () => redis.hdel(keys.secondFactors(userId), `rc:${codeHash}`))) === 1;
    },
    async addPasskey(userId, passkey, max) {
      const { counter, lastUsedAt, ...registration } = passkey;
      const added = await failClosed(() =>
        scripts.addPasskey([keys.secondFactors(userId)], [passkey.id, JSON.stringify(registration), `${counter}|${lastUsedAt ?? ''}`, max]),
      );
      return added === 1;
    },
    async usePasskey(userId, credentialId, counter, nowMs, challenge) {
      const outcome = await durably(userId, () =>
        scripts.usePasskey([keys.secondFactors(userId)], [credentialId, counter, nowMs, challenge.digest, challenge.expiresAt]),
      );
      return PASSKEY_USES[Number(outcome)] ?? 'unknown';
    },
    async removePasskey(userId, credentialId) {
      return (await durably(userId, () => scripts.removePasskey([keys.secondFactors(userId)], [credentialId]))) === 1;
    },
    async removeAll(userId) {
      return Number(await durably(userId, () => scripts.removeAll([keys.secondFactors(userId)], [])));
    },
  };
}

const PASSKEY_USES: Readonly<Record<number, PasskeyUse>> = { 1: 'used', 0: 'unknown', [-1]: 'counter-not-increased', [-2]: 'challenge-spent' };

function decodeFactors(hash: Record<string, string>): SecondFactorRecord {
  const totp = splitStamped(hash.totp);
  const pending = splitStamped(hash['totp-pending']);
  const passkeys: StoredPasskey[] = [];
  let recoveryCodesLeft = 0;
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('rc:')) recoveryCodesLeft += 1;
    if (!field.startsWith('pk:')) continue;
    const [counter, lastUsedAt] = (hash[`pku:${field.slice(3)}`] ?? '0|').split('|');
    passkeys.push({
      ...(JSON.parse(value) as Omit<StoredPasskey, 'counter' | 'lastUsedAt'>),
      counter: Number(counter),
      ...(lastUsedAt && { lastUsedAt: Number(lastUsedAt) }),
    });
  }
  return {
    ...(totp && { totp: { sealedSecret: totp.value, confirmedAt: totp.at } }),
    ...(pending && { pendingTotp: { sealedSecret: pending.value, expiresAt: pending.at } }),
    recoveryCodesLeft,
    passkeys: passkeys.sort((a, b) => a.createdAt - b.createdAt),
  };
}

/** "<epoch ms>|<value>", as the scripts write a secret with its time. */
function splitStamped(field: string | undefined): { readonly at: number; readonly value: string } | undefined {
  if (field === undefined) return undefined;
  const separator = field.indexOf('|');
  return { at: Number(field.slice(0, separator)), value: field.slice(separator + 1) };
}
