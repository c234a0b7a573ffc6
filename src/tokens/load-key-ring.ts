import { dirname, isAbsolute, resolve } from 'node:path';
import { errorCodeSuffix } from './error-code';
import { createKeyRing, type KeyRing } from './key-ring';
import { parseKeySpecs, type ReadTextFile } from './key-spec';

export type KeyRingResult =
  | { readonly ok: true; readonly ring: KeyRing }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The raw values of JWT_KEYS and JWT_KEYS_FILE (undefined when unset or blank). */
export interface KeyRingSettings {
  readonly keys: string | undefined;
  readonly keysFile: string | undefined;
}

/** Parses key specs (see key-spec.ts) and builds the ring from them. */
export function keyRingFromSpecs(json: string, readFile: ReadTextFile, source = 'JWT_KEYS'): KeyRingResult {
  const specs = parseKeySpecs(json, readFile, source);
  return specs.ok ? { ok: true, ring: createKeyRing(specs.active, specs.verifyOnly) } : specs;
}

/**
 * The ring from JWT_KEYS or JWT_KEYS_FILE; undefined when neither is set (the caller
 * then falls back to JWT_SECRET). File paths inside JWT_KEYS_FILE are relative to
 * that file's folder; inside JWT_KEYS, to the working directory.
 */
export function loadKeyRing(settings: KeyRingSettings, readFile: ReadTextFile): KeyRingResult | undefined {
  const { keys, keysFile } = settings;
  if (keys !== undefined && keysFile !== undefined) {
    return { ok: false, problems: ['JWT_KEYS and JWT_KEYS_FILE are both set: give the keys one way'] };
  }
  if (keys !== undefined) return keyRingFromSpecs(keys, readFile, 'JWT_KEYS');
  if (keysFile === undefined) return undefined;
  let json: string;
  try {
    json = readFile(keysFile);
  } catch (error) {
    return { ok: false, problems: [`cannot read JWT_KEYS_FILE ${JSON.stringify(keysFile)}${errorCodeSuffix(error)}`] };
  }
  const folder = dirname(resolve(keysFile));
  const readBesideKeysFile: ReadTextFile = (path) => readFile(isAbsolute(path) ? path : resolve(folder, path));
  return keyRingFromSpecs(json, readBesideKeysFile, 'JWT_KEYS_FILE');
}
