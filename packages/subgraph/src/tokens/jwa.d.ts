/**
 * The part of jwa (the JWS algorithm library under jsonwebtoken) this service uses.
 * @types/jwa types keys as strings only; jwa takes KeyObjects too, and the ring
 * holds nothing else, so that keys are parsed once at start.
 */
declare module 'jwa' {
  import type { KeyObject } from 'node:crypto';

  type Algorithm = `${'HS' | 'RS' | 'PS' | 'ES'}${256 | 384 | 512}` | 'none';

  interface JwaAlgorithm {
    /** The signature over `input`, base64url without padding. */
    sign(input: string | Buffer, key: KeyObject): string;
    /** Whether `signature` (base64url) signs `input`; throws on a key or signature it cannot use. */
    verify(input: string | Buffer, signature: string, key: KeyObject): boolean;
  }

  function jwa(algorithm: Algorithm): JwaAlgorithm;
  export = jwa;
}
