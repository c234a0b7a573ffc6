import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The challenges of passkey sign-ins, which anyone may ask for: self-contained and
 * signed, so asking stores nothing (a flood of requests cannot fill the store). A
 * challenge is spent only when a passkey's signature over it verifies: the store then
 * remembers it, with the sign-in, until it expires (see SecondFactorStore.usePasskey).
 *
 *     version (1) | issued at, ms (6) | random (16) | username digest (8, zeros for none) | HMAC-SHA-256 (16)
 */
export interface LoginChallenges {
  issue(username: string | undefined, nowMs: number): string;
  /** The challenge's claims when it is ours, unaltered and fresh; undefined otherwise. */
  read(challenge: string, nowMs: number): LoginChallenge | undefined;
}

export interface LoginChallenge {
  /** Whether the challenge was asked for without a username, or for this one (normalised). */
  allowsUsername(username: string): boolean;
  readonly expiresAt: number;
  /** What the store keeps of a spent challenge. */
  readonly digest: string;
}

const VERSION = 1;
const SIGNED_BYTES = 1 + 6 + 16 + 8;
const MAC_BYTES = 16;
const NO_USERNAME = Buffer.alloc(8);
/** Another instance's clock may run a little ahead of this one's. */
const MAX_CLOCK_SKEW_MS = 60_000;

export function createLoginChallenges(serverSecret: string, ttlMs: number): LoginChallenges {
  const key = Buffer.from(hkdfSync('sha256', serverSecret, '', 'passkey-login-challenge', 32));
  const mac = (signed: Buffer) => createHmac('sha256', key).update(signed).digest().subarray(0, MAC_BYTES);
  const usernameDigest = (username: string) => createHash('sha256').update(username).digest().subarray(0, NO_USERNAME.length);

  return {
    issue(username, nowMs) {
      const signed = Buffer.alloc(SIGNED_BYTES);
      signed[0] = VERSION;
      signed.writeUIntBE(nowMs, 1, 6);
      randomBytes(16).copy(signed, 7);
      (username === undefined ? NO_USERNAME : usernameDigest(username)).copy(signed, 23);
      return Buffer.concat([signed, mac(signed)]).toString('base64url');
    },
    read(challenge, nowMs) {
      const bytes = Buffer.from(challenge, 'base64url');
      if (bytes.length !== SIGNED_BYTES + MAC_BYTES || bytes.toString('base64url') !== challenge || bytes[0] !== VERSION) return undefined;
      const signed = bytes.subarray(0, SIGNED_BYTES);
      if (!timingSafeEqual(mac(signed), bytes.subarray(SIGNED_BYTES))) return undefined;
      const issuedAt = signed.readUIntBE(1, 6);
      if (issuedAt > nowMs + MAX_CLOCK_SKEW_MS || nowMs - issuedAt >= ttlMs) return undefined;
      const forUsername = signed.subarray(23, 31);
      return {
        allowsUsername: (username) => forUsername.equals(NO_USERNAME) || forUsername.equals(usernameDigest(username)),
        expiresAt: issuedAt + ttlMs,
        digest: createHash('sha256').update(bytes).digest('base64url'),
      };
    },
  };
}
