import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PemPair {
  readonly privatePem: string;
  readonly publicPem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

function pemPair({ privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject }): PemPair {
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    publicKey,
  };
}

/** Fresh keys for one test file; RSA generation is the slow part, so each is made once. */
export function makeKeys() {
  return {
    rsa: pemPair(generateKeyPairSync('rsa', { modulusLength: 2048 })),
    rsa1024: pemPair(generateKeyPairSync('rsa', { modulusLength: 1024 })),
    p256: pemPair(generateKeyPairSync('ec', { namedCurve: 'P-256' })),
    p384: pemPair(generateKeyPairSync('ec', { namedCurve: 'P-384' })),
    ed25519: pemPair(generateKeyPairSync('ed25519')),
    ed448: pemPair(generateKeyPairSync('ed448')),
  };
}

export type TestKeys = ReturnType<typeof makeKeys>;

/** A temp folder for key files, removed by `remove()`. */
export function keyFolder(): { readonly path: string; write(name: string, text: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'key-ring-test-'));
  return {
    path,
    write: (name, text) => {
      const file = join(path, name);
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Lines of key material long enough that finding one in a message means the material leaked. */
export function materialFragments(...materials: readonly string[]): string[] {
  return materials
    .flatMap((material) => material.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

export const TEST_HMAC_SECRET = 'a-shared-hmac-secret-of-at-least-32-bytes';
export const testAudience = { issuer: 'issuer-under-test', audience: 'audience-under-test' };
export const testNow = Date.UTC(2026, 10, 23, 12, 0, 0);
/** What login asks the signer for: a 15-minute token for one user's session. */
export const testTokenRequest = {
  userId: '01a2099d-1931-757b-a805-3c94653d9f5a',
  sessionId: 'lAhvU4hUwAT1zznyJ_y9bQ',
  authorities: ['orders:read'],
  issuedAtMs: testNow,
  expiresAtMs: testNow + 900_000,
};
