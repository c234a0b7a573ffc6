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

/** The kinds of key pair the tests use, each named for its algorithm and size. */
export type KeyKind = 'rsa2048' | 'rsa1024' | 'p256' | 'p384' | 'ed25519' | 'ed448';

/** One fresh key pair of the given kind, with its PKCS#8 and SPKI PEM. */
export function pemKeyPair(kind: KeyKind): PemPair {
  switch (kind) {
    case 'rsa2048':
      return pemPair(generateKeyPairSync('rsa', { modulusLength: 2048 }));
    case 'rsa1024':
      return pemPair(generateKeyPairSync('rsa', { modulusLength: 1024 }));
    case 'p256':
      return pemPair(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    case 'p384':
      return pemPair(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
    case 'ed25519':
      return pemPair(generateKeyPairSync('ed25519'));
    case 'ed448':
      return pemPair(generateKeyPairSync('ed448'));
  }
}

/** The `JWT_KEYS` entry of an active (signing) key: its private key as PEM. */
export function activeKeyEntry(kid: string, alg: string, pair: PemPair) {
  return { kid, alg, active: true, privateKey: pair.privatePem };
}

/** The `JWT_KEYS` entry of a verify-only key: its public key as PEM. */
export function verifyOnlyKeyEntry(kid: string, alg: string, pair: PemPair) {
  return { kid, alg, publicKey: pair.publicPem };
}

/** Fresh keys for one test file; RSA generation is the slow part, so each is made once. */
export function makeKeys() {
  return {
    rsa: pemKeyPair('rsa2048'),
    rsa1024: pemKeyPair('rsa1024'),
    p256: pemKeyPair('p256'),
    p384: pemKeyPair('p384'),
    ed25519: pemKeyPair('ed25519'),
    ed448: pemKeyPair('ed448'),
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
