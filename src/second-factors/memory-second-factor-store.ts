import type { PendingTotp, SecondFactorRecord, SecondFactorStore, StoredPasskey, StoredTotp } from './second-factor-store';

interface UserFactors {
  totp?: StoredTotp;
  pendingTotp?: PendingTotp;
  lastStep: number;
  recoveryCodeHashes: Set<string>;
  passkeys: Map<string, StoredPasskey>;
  /** Digests of spent sign-in challenges, with when they expire. */
  spentChallenges: Map<string, number>;
}

/** Second factors in this process's memory, with the Redis store's semantics. */
export function createMemorySecondFactorStore(): SecondFactorStore {
  const byUser = new Map<string, UserFactors>();
  const factorsOf = (userId: string): UserFactors => {
    let factors = byUser.get(userId);
    if (!factors) {
      factors = { lastStep: -1, recoveryCodeHashes: new Set(), passkeys: new Map(), spentChallenges: new Map() };
      byUser.set(userId, factors);
    }
    return factors;
  };

  return {
    async read(userId): Promise<SecondFactorRecord> {
      const factors = byUser.get(userId);
      if (!factors) return { recoveryCodesLeft: 0, passkeys: [] };
      return {
        ...(factors.totp && { totp: factors.totp }),
        ...(factors.pendingTotp && { pendingTotp: factors.pendingTotp }),
        recoveryCodesLeft: factors.recoveryCodeHashes.size,
        passkeys: [...factors.passkeys.values()].sort((a, b) => a.createdAt - b.createdAt),
      };
    },
    async savePendingTotp(userId, pending) {
      factorsOf(userId).pendingTotp = pending;
    },
    async activateTotp(userId, { sealedSecret, recoveryCodeHashes, step, nowMs }) {
      const factors = factorsOf(userId);
      const pending = factors.pendingTotp;
      if (!pending || pending.sealedSecret !== sealedSecret || pending.expiresAt <= nowMs) return false;
      factors.totp = { sealedSecret, confirmedAt: nowMs };
      delete factors.pendingTotp;
      factors.lastStep = step;
      factors.recoveryCodeHashes = new Set(recoveryCodeHashes);
      return true;
    },
    async removeTotp(userId) {
      const factors = byUser.get(userId);
      const had = factors?.totp !== undefined;
      if (factors) {
        delete factors.totp;
        delete factors.pendingTotp;
        factors.lastStep = -1;
        factors.recoveryCodeHashes.clear();
      }
      return had;
    },
    async claimTotpStep(userId, step) {
      const factors = factorsOf(userId);
      if (step <= factors.lastStep) return false;
      factors.lastStep = step;
      return true;
    },
    async spendRecoveryCode(userId, codeHash) {
      return byUser.get(userId)?.recoveryCodeHashes.delete(codeHash) ?? false;
    },
    async addPasskey(userId, passkey, max) {
      const { passkeys } = factorsOf(userId);
      if (passkeys.size >= max || passkeys.has(passkey.id)) return false;
      passkeys.set(passkey.id, passkey);
      return true;
    },
    async usePasskey(userId, credentialId, counter, nowMs, challenge) {
      const factors = byUser.get(userId);
      const passkey = factors?.passkeys.get(credentialId);
      if (!factors || !passkey) return 'unknown';
      for (const [digest, expiresAt] of factors.spentChallenges) if (expiresAt <= nowMs) factors.spentChallenges.delete(digest);
      if (factors.spentChallenges.has(challenge.digest)) return 'challenge-spent';
      if ((counter !== 0 || passkey.counter !== 0) && counter <= passkey.counter) return 'counter-not-increased';
      factors.spentChallenges.set(challenge.digest, challenge.expiresAt);
      factors.passkeys.set(credentialId, { ...passkey, counter, lastUsedAt: nowMs });
      return 'used';
    },
    async removePasskey(userId, credentialId) {
      return byUser.get(userId)?.passkeys.delete(credentialId) ?? false;
    },
    async removeAll(userId) {
      const factors = byUser.get(userId);
      byUser.delete(userId);
      return factors ? (factors.totp ? 1 : 0) + factors.passkeys.size : 0;
    },
  };
}
