import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Fragments of today's common user agents, as a preset deflate dictionary: a
 * 100-character browser user agent packs into about 20 bytes. Never change it in
 * place: add a new version letter with a new dictionary and keep decoding the old.
 */
const DICTIONARY_A = Buffer.from(
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) (Macintosh; Intel Mac OS X 10_15_7) (X11; Linux x86_64) ' +
    '(X11; Ubuntu; Linux x86_64; rv: (iPhone; CPU iPhone OS 17_0 like Mac OS X) (iPad; CPU OS 17_0 like Mac OS X) ' +
    '(Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/ Mobile Safari/537.36 Edg/ OPR/ ' +
    'Firefox/ Gecko/20100101 Version/17.0 Mobile/15E148 Safari/604.1 Safari/605.1.15 curl/ okhttp/ node python-requests/',
);
const VERSION_A = 'a';

/** A user agent as a few base64url characters (version letter first); the record field separator never appears. */
export function encodeUserAgent(userAgent: string): string {
  return VERSION_A + deflateRawSync(userAgent, { dictionary: DICTIONARY_A, level: 9 }).toString('base64url');
}

/** Undefined for anything not made by encodeUserAgent: a session shows no user agent rather than failing. */
export function decodeUserAgent(encoded: string): string | undefined {
  if (!encoded.startsWith(VERSION_A)) return undefined;
  try {
    return inflateRawSync(Buffer.from(encoded.slice(1), 'base64url'), { dictionary: DICTIONARY_A }).toString('utf8');
  } catch {
    return undefined;
  }
}
