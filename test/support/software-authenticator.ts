import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in the test process, written from the WebAuthn Level 2
 * spec with Node's crypto and a few lines of CBOR: ES256 keys, "none" attestation,
 * discoverable credentials with user verification. It answers what a browser hands
 * the page (the *ResponseJSON shapes), so the service is tested against the standard,
 * not against the library it uses. The browser test does the same with Chromium's own.
 */
export interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id: string };
  readonly user: { readonly id: string };
}

export interface RequestOptions {
  readonly challenge: string;
  readonly rpId: string;
}

interface Credential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly rpId: string;
  readonly userHandle: string;
  counter: number;
}

export interface AuthenticatorOptions {
  /** Synced between devices (backup eligible and backed up), as a platform's passkeys are. */
  readonly synced?: boolean;
  /** Keeps a signature counter (some authenticators leave it at 0 for ever). */
  readonly counts?: boolean;
}

export class SoftwareAuthenticator {
  private readonly credentials: Credential[] = [];

  constructor(private readonly options: AuthenticatorOptions = {}) {}

  /** navigator.credentials.create, as a page at `origin` calls it; answers RegistrationResponseJSON. */
  create(options: CreationOptions, origin: string): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: Credential = { id: randomBytes(16), privateKey, rpId: options.rp.id, userHandle: options.user.id, counter: 0 };
    this.credentials.push(credential);
    const clientDataJSON = clientData('webauthn.create', options.challenge, origin);
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Buffer>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.authenticatorData(credential, FLAG_ATTESTED),
      Buffer.alloc(16),
      idLength,
      credential.id,
      cbor(coseKey),
    ]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: credential.id.toString('base64url'),
      rawId: credential.id.toString('base64url'),
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get with no credentials listed (a discoverable passkey); answers AuthenticationResponseJSON. */
  get(options: RequestOptions, origin: string, which = 0): Record<string, unknown> {
    const credential = this.credentials.filter((candidate) => candidate.rpId === options.rpId)[which];
    if (!credential) throw new Error(`no passkey for ${options.rpId}`);
    if (this.options.counts !== false) credential.counter += 1;
    return this.assertion(credential, options.challenge, origin);
  }

  /** An assertion signed again with a counter the authenticator already used: what a cloned key would send. */
  replayCounter(options: RequestOptions, origin: string): Record<string, unknown> {
    const [credential] = this.credentials;
    return this.assertion(credential, options.challenge, origin);
  }

  private assertion(credential: Credential, challenge: string, origin: string): Record<string, unknown> {
    const clientDataJSON = clientData('webauthn.get', challenge, origin);
    const authenticatorData = this.authenticatorData(credential, 0);
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]), credential.privateKey);
    return {
      id: credential.id.toString('base64url'),
      rawId: credential.id.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private authenticatorData(credential: Credential, extraFlags: number): Buffer {
    const synced = this.options.synced ? FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP : 0;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    return Buffer.concat([
      createHash('sha256').update(credential.rpId).digest(),
      Buffer.from([FLAG_USER_PRESENT | FLAG_USER_VERIFIED | synced | extraFlags]),
      counter,
    ]);
  }
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED = 0x40;

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

/** The CBOR (RFC 8949) an authenticator writes: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, entry]) => [cbor(key), cbor(entry)])]);
  }
  throw new Error(`cannot encode ${typeof value} as CBOR`);
}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  const bytes = Buffer.alloc(3);
  bytes[0] = (major << 5) | 25;
  bytes.writeUInt16BE(length, 1);
  return bytes;
}
