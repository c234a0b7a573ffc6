/*
 * Why not jose's createRemoteJWKSet. It would fetch, share one request among callers
 * and refetch on an unknown kid, but it cannot keep what this source promises:
 *  - No size cap of its own: it reads the answer with `response.json()`, whole. A
 *    `customFetch` that cuts the body short could add one; the rest cannot be added.
 *  - Fail closed only by hammering: a stale set makes every call refetch, with no
 *    pause after a failure; its unknown-kid cooldown counts from the last success,
 *    so an outage turns every forged kid into a request to the auth service.
 *  - Its clock is Date.now and its max age fixed: the answer's Cache-Control is not
 *    read, and `now` cannot be injected (our tests and users' rely on both).
 *  - The token chooses the algorithm: a JWK without `alg` or `use` matches whatever
 *    algorithm the header names for that key type (and a header without `kid`
 *    matches any key). Here a key needs `use: "sig"` and its own `alg`, which pins
 *    it: the pipeline compares the header with the key, never the other way round.
 *  - It yields CryptoKeys to its own jwtVerify, not pinned ring keys by kid for the
 *    one token pipeline (tokens/verify.ts), which keeps jsonwebtoken's semantics.
 * So the source stays ours, reading keys through the allow-list the service
 * publishes with (tokens/jwk-shape.ts); jose stays a dev dependency, the independent
 * implementation the tests check our tokens and JWKS against.
 */
import { ServiceUnavailableError } from './errors';
import type { RingKey, VerificationKeys } from './tokens/key-ring';
import { cacheMaxAgeMs } from './jwks/cache-max-age';
import { readJwks } from './jwks/read-jwks';

export interface JwksKeySourceOptions {
  /** The auth service's key set, e.g. http://auth:4000/.well-known/jwks.json. */
  readonly url: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per request, body included. Default 3 000. */
  readonly timeoutMs?: number;
  /**
   * Refetch after this even if every kid is known, so a removed key is forgotten.
   * Default: the answer's Cache-Control max-age (kept between the unknown-kid cooldown
   * and one day), else 300 000. Given here, it wins over the header.
   */
  readonly maxAgeMs?: number;
  /** An unknown kid triggers at most one refetch per this (counted from the last fetch of any kind). Default 30 000. */
  readonly unknownKidCooldownMs?: number;
  /** Milliseconds since the epoch, for freshness and cooldown only; injected so tests need not sleep. Default Date.now. */
  readonly now?: () => number;
}

export interface JwksKeySource extends VerificationKeys {
  /** Loads (or reloads) the set; concurrent callers share one request. Throws ServiceUnavailableError when the endpoint cannot be reached or answers garbage, keeping the last good set if there is one. */
  refresh(): Promise<void>;
  /** Makes sure a usable set is loaded and fresh enough; for an unknown kid, refetches once within the cooldown. Returns the key or undefined. */
  resolve(kid: string): Promise<RingKey | undefined>;
}

const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_MAX_AGE_MS = 300_000;
const DEFAULT_UNKNOWN_KID_COOLDOWN_MS = 30_000;
/** However long the endpoint says its answer stays good, a removed key is forgotten within a day. */
const MAX_HEADER_MAX_AGE_MS = 86_400_000;
/**
 * While the endpoint fails, calls that need a fetch (no set, or a stale one) ask again at
 * most this often and fail fast in between, so a busy subgraph does not hammer an auth
 * service that is already down. `refresh()` itself always asks.
 */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** A key set is a few kilobytes; anything far larger is not one. */
const MAX_DOCUMENT_BYTES = 256 * 1024;

interface Settings {
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly maxAgeMs: number | undefined;
  readonly cooldownMs: number;
  readonly now: () => number;
}

interface LoadedSet {
  readonly keys: ReadonlyMap<string, RingKey>;
  /** When the request that brought it started: its age counts from there. */
  readonly fetchedAt: number;
  readonly maxAgeMs: number;
}

/**
 * The auth service's public signing keys, as a subgraph sees them through the JWKS
 * endpoint: the verified-token cache awaits `resolve(kid)` for each token, then
 * verification finds the key synchronously. Fails closed: once the set is older than its max age and
 * cannot be refetched, `resolve` throws rather than trusting keys that may have been
 * removed (a leaked key), while `find` still answers from the last good set.
 * Nothing runs in the background; every fetch is caused by a call, and at most one
 * is under way at a time.
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  const settings = settingsOf(options);
  let loaded: LoadedSet | undefined;
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let lastFailureAt = Number.NEGATIVE_INFINITY;

  const isFresh = (): boolean => loaded !== undefined && settings.now() - loaded.fetchedAt < loaded.maxAgeMs;
  const coolingDown = (): boolean => settings.now() - lastFetchAt < settings.cooldownMs;

  async function load(): Promise<void> {
    // Set before the first await, so callers in the same tick already see the cooldown.
    const startedAt = settings.now();
    lastFetchAt = startedAt;
    const answer = await fetchKeySet(settings).catch((error: unknown) => {
      lastFailureAt = settings.now();
      throw error;
    });
    const maxAgeMs = settings.maxAgeMs ?? clamp(answer.maxAgeMs ?? DEFAULT_MAX_AGE_MS, settings.cooldownMs, MAX_HEADER_MAX_AGE_MS);
    loaded = { keys: answer.keys, fetchedAt: startedAt, maxAgeMs };
  }

  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  async function ensureFresh(): Promise<void> {
    if (isFresh()) return;
    if (inFlight === undefined && settings.now() - lastFailureAt < RETRY_AFTER_FAILURE_MS) {
      throw unavailable('the key set endpoint failed moments ago');
    }
    await refresh();
  }

  return Object.freeze({
    find: (kid: string) => loaded?.keys.get(kid),
    refresh,
    async resolve(kid: string) {
      await ensureFresh();
      const known = loaded?.keys.get(kid);
      // A fetch under way may bring the kid: wait for it rather than refuse a token it would accept.
      if (known !== undefined || (inFlight === undefined && coolingDown())) return known;
      await refresh();
      return loaded?.keys.get(kid);
    },
  });
}

async function fetchKeySet(
  settings: Settings,
): Promise<{ readonly keys: ReadonlyMap<string, RingKey>; readonly maxAgeMs: number | undefined }> {
  let response: Response;
  let text: string | undefined;
  try {
    response = await settings.fetch(settings.url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw unavailable(`the key set endpoint answered ${response.status}`);
    }
    text = await readLimited(response, MAX_DOCUMENT_BYTES);
  } catch (error) {
    throw error instanceof ServiceUnavailableError ? error : unavailable('the key set endpoint is unreachable', error);
  }
  if (text === undefined) throw unavailable(`the key set is over ${MAX_DOCUMENT_BYTES} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw unavailable('the key set is not JSON', error);
  }
  const reading = readJwks(document);
  if (!reading.ok) throw unavailable(`the key set is ${reading.problem}`);
  return { keys: reading.keys, maxAgeMs: cacheMaxAgeMs(response.headers.get('cache-control')) };
}

/** The body as text, or undefined past `maxBytes` (stops reading there, so a huge answer costs no memory). */
async function readLimited(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

function settingsOf(options: JwksKeySourceOptions): Settings {
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    throw new Error('JWKS url must be an absolute http(s) URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('JWKS url must be an absolute http(s) URL');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cooldownMs = options.unknownKidCooldownMs ?? DEFAULT_UNKNOWN_KID_COOLDOWN_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new Error('JWKS timeoutMs must be a positive number');
  if (options.maxAgeMs !== undefined && !(Number.isFinite(options.maxAgeMs) && options.maxAgeMs > 0)) {
    throw new Error('JWKS maxAgeMs must be a positive number');
  }
  if (!(Number.isFinite(cooldownMs) && cooldownMs >= 0)) throw new Error('JWKS unknownKidCooldownMs must be zero or more');
  return {
    url: options.url,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs,
    maxAgeMs: options.maxAgeMs,
    cooldownMs,
    now: options.now ?? Date.now,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function unavailable(reason: string, cause?: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError('The signing keys of the authentication service are unavailable; try again shortly', {
    logReason: reason,
    cause,
  });
}
