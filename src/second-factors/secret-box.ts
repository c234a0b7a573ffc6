import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One key of the ring that seals second-factor secrets: an id (named in every sealed value) and 32 bytes. */
export interface SealingKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Seals a secret (an authenticator app's) for storage with AES-256-GCM. The first key
 * seals; every key opens what it sealed, so a key is replaced by putting a new one
 * first and keeping the old one until nothing sealed with it is left. `context` is
 * bound into each value (the user id): a value copied to another account does not open.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** The plaintext; throws SecretBoxError when no key of the ring opens the value. */
  open(sealed: string, context: string): string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export function createSecretBox(keys: readonly SealingKey[]): SecretBox {
  const [active] = keys;
  if (!active) throw new Error('A secret box needs at least one key');
  for (const { id, key } of keys) {
    if (key.length !== KEY_BYTES) throw new Error(`Sealing key ${id} must be ${KEY_BYTES} bytes`);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`Sealing key id ${JSON.stringify(id)} must be 1 to 32 of A-Z a-z 0-9 _ -`);
  }
  const byId = new Map(keys.map((entry) => [entry.id, entry.key]));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${active.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const [id, iv, body, ...rest] = sealed.split('.');
      const key = id === undefined ? undefined : byId.get(id);
      if (!key || iv === undefined || body === undefined || rest.length > 0) {
        throw new SecretBoxError(`No sealing key with id ${JSON.stringify(id)}: was it removed from MFA_ENCRYPTION_KEYS?`);
      }
      const bytes = Buffer.from(body, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError(`A value sealed with key ${id} does not open: altered, or sealed for another account`);
      }
    },
  };
}
