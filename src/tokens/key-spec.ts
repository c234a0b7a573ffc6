import { isKeyAlgorithm, KEY_ALGORITHMS } from '@graphql-auth-service/subgraph/tokens/key-algorithm';
import type { RingKey, SigningRingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { readKeyMaterial, type ReadTextFile } from './key-material';

export type { ReadTextFile } from './key-material';

/**
 * The keys of JWT_KEYS (or JWT_KEYS_FILE): a JSON array of
 * `{ kid, alg, active?, secret | secretFile | privateKey | privateKeyFile | publicKey | publicKeyFile }`.
 * On success the one active key and the verify-only keys, KeyObjects built;
 * otherwise every problem found, each naming the entry and never quoting key material.
 */
export type KeySpecsResult =
  | {
      readonly ok: true;
      /** Every key in the order given. */
      readonly keys: readonly RingKey[];
      readonly active: SigningRingKey;
      readonly verifyOnly: readonly RingKey[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

const FIELDS = [
  'kid',
  'alg',
  'active',
  'secret',
  'secretFile',
  'privateKey',
  'privateKeyFile',
  'publicKey',
  'publicKeyFile',
] as const;
const KID = /^[A-Za-z0-9._-]+$/;

/** One entry as read: its label for problems, its kid when valid, its `active` flag, its key when sound. */
interface EntryResult {
  readonly label: string;
  readonly kid: string | undefined;
  readonly active: boolean;
  readonly key: RingKey | undefined;
  readonly problems: readonly string[];
}

/** `source` (`JWT_KEYS` or `JWT_KEYS_FILE`) starts every problem, so the operator knows which variable to fix. */
export function parseKeySpecs(json: string, readFile: ReadTextFile, source = 'JWT_KEYS'): KeySpecsResult {
  const entries = parseJsonArray(json, source);
  if (!Array.isArray(entries)) return { ok: false, problems: [entries.problem] };
  if (entries.length === 0) return { ok: false, problems: [`${source} holds no keys: give at least the active key`] };

  const results = entries.map((entry, index) => parseEntry(entry, `${source}[${index}]`, readFile));
  const problems = [
    ...results.flatMap((result) => result.problems),
    ...duplicateKidProblems(results),
    ...activeKeyProblems(results, source),
  ];
  const active = results.find((result) => result.active)?.key;
  if (problems.length > 0 || active === undefined || !isSigningKey(active)) return { ok: false, problems };
  const keys = results.map((result) => result.key).filter((key): key is RingKey => key !== undefined);
  return { ok: true, keys, active, verifyOnly: keys.filter((key) => key !== active) };
}

function parseJsonArray(json: string, source: string): unknown[] | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    // The parser's message quotes the text around the error, which may be a secret: give only the place.
    return { problem: `${source} is not valid JSON${jsonErrorPlace(json, error)}` };
  }
  return Array.isArray(value)
    ? value
    : { problem: `${source} must be a JSON array of keys ([{ "kid": ..., "alg": ..., ... }])` };
}

function parseEntry(entry: unknown, index: string, readFile: ReadTextFile): EntryResult {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    const problem = `${index}: expected an object with kid, alg and key material`;
    return { label: index, kid: undefined, active: false, key: undefined, problems: [problem] };
  }
  const fields = entry as Readonly<Record<string, unknown>>;
  const kidProblem = kidProblemOf(fields.kid);
  const kid = kidProblem === undefined ? String(fields.kid) : undefined;
  const label = kid === undefined ? index : `${index} (kid "${kid}")`;
  const problems = [...fieldProblems(fields), ...(kidProblem === undefined ? [] : [kidProblem])];
  let key: RingKey | undefined;
  const { alg } = fields;
  if (isKeyAlgorithm(alg)) {
    const material = readKeyMaterial(alg, fields, readFile);
    if (!material.ok) problems.push(...material.problems);
    else if (kid !== undefined) {
      key = { kid, algorithm: alg, signingKey: material.signingKey, verificationKey: material.verificationKey };
    }
  } else {
    const shown = typeof alg === 'string' && /^\w{1,16}$/.test(alg) ? ` "${alg}"` : '';
    const what = alg === undefined ? 'is missing' : 'is not supported';
    problems.push(`alg${shown} ${what}: expected one of ${KEY_ALGORITHMS.join(', ')}`);
  }
  return {
    label,
    kid,
    active: fields.active === true,
    key: problems.length === 0 ? key : undefined,
    problems: problems.map((problem) => `${label}: ${problem}`),
  };
}

/** Unknown fields (named only when the name looks like a field name) and a non-boolean `active`. */
function fieldProblems(fields: Readonly<Record<string, unknown>>): string[] {
  const problems = Object.keys(fields)
    .filter((name) => !(FIELDS as readonly string[]).includes(name))
    .map((name) => `unknown field${/^\w{1,32}$/.test(name) ? ` "${name}"` : ''} (allowed: ${FIELDS.join(', ')})`);
  if (fields.active !== undefined && typeof fields.active !== 'boolean') problems.push('active must be true or false');
  return problems;
}

/** Says what is wrong with a kid without quoting it (it could be anything pasted into the wrong field). */
function kidProblemOf(kid: unknown): string | undefined {
  if (kid === undefined) return 'kid is missing: every key needs one (tokens name their key by it)';
  if (typeof kid !== 'string') return 'kid must be a string';
  if (kid.length === 0) return 'kid is empty';
  if (kid.length > 64) return `kid is ${kid.length} characters long: at most 64`;
  return KID.test(kid) ? undefined : 'kid may hold only the characters A-Z a-z 0-9 . _ -';
}

function duplicateKidProblems(results: readonly EntryResult[]): string[] {
  const firstByKid = new Map<string, EntryResult>();
  const problems: string[] = [];
  for (const result of results) {
    if (result.kid === undefined) continue;
    const first = firstByKid.get(result.kid);
    if (first) problems.push(`${result.label}: kid is also used by ${first.label}; every key needs its own kid`);
    else firstByKid.set(result.kid, result);
  }
  return problems;
}

function activeKeyProblems(results: readonly EntryResult[], source: string): string[] {
  const actives = results.filter((result) => result.active);
  if (actives.length === 0) {
    return [`${source}: no key is active: mark exactly one key "active": true (the one that signs new tokens)`];
  }
  if (actives.length > 1) {
    const which = actives.map((result) => result.label).join(', ');
    return [`${source}: ${actives.length} keys are active (${which}): mark exactly one "active": true`];
  }
  const [{ key, label }] = actives;
  if (key === undefined || isSigningKey(key)) return [];
  return [`${label}: is active but has no privateKey or privateKeyFile: the active key signs new tokens`];
}

function isSigningKey(key: RingKey): key is SigningRingKey {
  return key.signingKey !== undefined;
}

function jsonErrorPlace(json: string, error: unknown): string {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  if (!match) return '';
  const before = json.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

