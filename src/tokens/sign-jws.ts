import jwt from 'jsonwebtoken';
import { signEdDsaJws } from './eddsa-jws';
import type { SigningRingKey } from './key-ring';

/**
 * Signs `payload` as a compact JWS with the key's pinned algorithm and its kid in the
 * header. jsonwebtoken for HS256, RS256 and ES256; node:crypto for EdDSA, which
 * jsonwebtoken 9 does not support.
 */
export function signJws(key: SigningRingKey, payload: object): string {
  const header = { alg: key.algorithm, typ: 'JWT', kid: key.kid };
  if (key.algorithm === 'EdDSA') return signEdDsaJws(header, payload, key.signingKey);
  return jwt.sign(payload, key.signingKey, { algorithm: key.algorithm, header });
}
