import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hmacKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { loadSigningKeys } from '../tokens/load-signing-keys';
import type { SigningKeySet } from '../tokens/signing-key-set';
import type { RuntimeEnvironment } from './config';
import type { EnvReader } from './env-reader';

const MIN_SECRET_BYTES = 32;

export interface SigningKeys {
  readonly keys: SigningKeySet;
  /** True when no key was configured and a random secret was made (development only). */
  readonly generated: boolean;
}

/**
 * The signing keys, read and checked once at start (the wiring builds the ring): from JWT_KEYS or JWT_KEYS_FILE (any algorithm,
 * with rotation), or from JWT_SECRET (one HS256 key), or in development from a
 * random secret. Problems go to the reader; the returned keys are then a placeholder.
 */
export function readSigningKeys(read: EnvReader, environment: RuntimeEnvironment): SigningKeys {
  const secretText = read.raw('JWT_SECRET');
  const loaded = loadSigningKeys({ keys: read.raw('JWT_KEYS'), keysFile: read.raw('JWT_KEYS_FILE') }, (path) =>
    readFileSync(path, 'utf8'),
  );
  if (loaded !== undefined) {
    if (secretText !== undefined) read.fail('JWT_SECRET is set together with JWT_KEYS or JWT_KEYS_FILE: give the keys one way');
    if (loaded.ok) return { keys: loaded.keys, generated: false };
    for (const problem of loaded.problems) read.fail(problem);
    return placeholder();
  }
  if (secretText === undefined) {
    if (environment === 'production') {
      read.fail(`JWT_SECRET (at least ${MIN_SECRET_BYTES} bytes) or JWT_KEYS / JWT_KEYS_FILE is required in production`);
    }
    return { ...placeholder(), generated: true };
  }
  const secret = Buffer.from(secretText, 'utf8');
  if (secret.length < MIN_SECRET_BYTES) {
    read.fail(`JWT_SECRET is ${secret.length} bytes: it must be at least ${MIN_SECRET_BYTES} bytes`);
    return placeholder();
  }
  return { keys: { active: hmacKey(secret), verifyOnly: [] }, generated: false };
}

function placeholder(): SigningKeys {
  return { keys: { active: hmacKey(randomBytes(MIN_SECRET_BYTES)), verifyOnly: [] }, generated: false };
}
