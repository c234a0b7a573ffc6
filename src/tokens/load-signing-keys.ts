import { dirname, isAbsolute, resolve } from 'node:path';
import { errorCodeSuffix } from './error-code';
import { parseKeySpecs, type ReadTextFile } from './key-spec';
import type { SigningKeySet } from './signing-key-set';

export type SigningKeysResult =
  | { readonly ok: true; readonly keys: SigningKeySet }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The raw values of JWT_KEYS and JWT_KEYS_FILE (undefined when unset or blank). */
export interface SigningKeySettings {
  readonly keys: string | undefined;
  readonly keysFile: string | undefined;
}

/** Parses key specs (see key-spec.ts) into the active key and the verify-only keys. */
export function signingKeysFromSpecs(json: string, readFile: ReadTextFile, source = 'JWT_KEYS'): SigningKeysResult {
  const specs = parseKeySpecs(json, readFile, source);
  return specs.ok ? { ok: true, keys: { active: specs.active, verifyOnly: specs.verifyOnly } } : specs;
}

/**
 * The keys from JWT_KEYS or JWT_KEYS_FILE; undefined when neither is set (the caller
 * then falls back to JWT_SECRET). File paths inside JWT_KEYS_FILE are relative to
 * that file's folder; inside JWT_KEYS, to the working directory.
 */
export function loadSigningKeys(settings: SigningKeySettings, readFile: ReadTextFile): SigningKeysResult | undefined {
  const { keys, keysFile } = settings;
  if (keys !== undefined && keysFile !== undefined) {
    return { ok: false, problems: ['JWT_KEYS and JWT_KEYS_FILE are both set: give the keys one way'] };
  }
  if (keys !== undefined) return signingKeysFromSpecs(keys, readFile, 'JWT_KEYS');
  if (keysFile === undefined) return undefined;
  let json: string;
  try {
    json = readFile(keysFile);
  } catch (error) {
    return { ok: false, problems: [`cannot read JWT_KEYS_FILE ${JSON.stringify(keysFile)}${errorCodeSuffix(error)}`] };
  }
  const folder = dirname(resolve(keysFile));
  const readBesideKeysFile: ReadTextFile = (path) => readFile(isAbsolute(path) ? path : resolve(folder, path));
  return signingKeysFromSpecs(json, readBesideKeysFile, 'JWT_KEYS_FILE');
}
