import { createHmac } from 'node:crypto';

/**
 * What an authenticator app does with the QR code's URL, written from RFC 6238 and
 * RFC 4226 with nothing but an HMAC: so the tests check the service against the
 * standard, not against the library it uses.
 */
export class AuthenticatorApp {
  private readonly key: Buffer;
  readonly period: number;
  readonly digits: number;

  constructor(otpauthUrl: string) {
    const url = new URL(otpauthUrl);
    if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP URL: ${otpauthUrl}`);
    const params = url.searchParams;
    if ((params.get('algorithm') ?? 'SHA1') !== 'SHA1') throw new Error('this app speaks SHA1 only, like most');
    this.key = base32Decode(params.get('secret') ?? '');
    this.period = Number(params.get('period') ?? 30);
    this.digits = Number(params.get('digits') ?? 6);
  }

  /** The code shown at `nowMs`, `stepOffset` steps before or after. */
  codeAt(nowMs: number, stepOffset = 0): string {
    const counter = Math.floor(nowMs / 1000 / this.period) + stepOffset;
    const message = Buffer.alloc(8);
    message.writeBigUInt64BE(BigInt(counter));
    const digest = createHmac('sha1', this.key).update(message).digest();
    const offset = digest[digest.length - 1] & 0x0f;
    const binary = digest.readUInt32BE(offset) & 0x7fffffff;
    return String(binary % 10 ** this.digits).padStart(this.digits, '0');
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const character of text.replace(/=+$/, '').toUpperCase()) {
    const index = BASE32.indexOf(character);
    if (index === -1) throw new Error(`not base32: ${text}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
