import { sign, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SigningRingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';

/**
 * Signs `payload` as a compact JWS with the key's pinned algorithm and its kid in the
 * header: the mirror of signature-algorithms.ts. jsonwebtoken (over jwa, which verifies)
 * for HS256, RS256 and ES256; node:crypto for EdDSA, which jsonwebtoken 9 and jwa lack.
 */
export function signJws(key: SigningRingKey, payload: object): string {
  const header = { alg: key.algorithm, typ: 'JWT', kid: key.kid };
  if (key.algorithm === 'EdDSA') return signEdDsaJws(header, payload, key.signingKey);
  return jwt.sign(payload, key.signingKey, { algorithm: key.algorithm, header });
}

/** Compact JWS with EdDSA over Ed25519 (RFC 8037): base64url JSON header and payload, the 64-byte signature. */
export function signEdDsaJws(header: Readonly<Record<string, unknown>>, payload: object, privateKey: KeyObject): string {
  if (header.alg !== 'EdDSA') throw new Error('signEdDsaJws signs only alg EdDSA');
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
