import { createHash, hkdfSync } from 'node:crypto';
import type { SealingKey } from '../second-factors/secret-box';
import { isAuthority } from '../users/authority';
import type { PasskeySettings, SecondFactorsConfig } from '../second-factors/second-factors-config';
import type { RuntimeEnvironment } from './config';
import type { EnvReader } from './env-reader';
import { readOriginList } from './read-origins';

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface SecondFactorsContext {
  readonly environment: RuntimeEnvironment;
  /** Outside production, the development sealing key is derived from it. */
  readonly serverSecret: string;
  /** The application's origin is one a passkey ceremony may come from. */
  readonly appUrl: string;
  readonly jwtIssuer: string;
}

/**
 * MFA_ENCRYPTION_KEYS, TOTP_ISSUER, WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME, WEBAUTHN_ORIGINS,
 * REQUIRE_MFA_FOR and MFA_RECENT_SIGN_IN. Outside production everything works without
 * settings (a derived sealing key, passkeys for localhost); production turns on what
 * it is given the settings for.
 */
export function readSecondFactors(read: EnvReader, context: SecondFactorsContext): SecondFactorsConfig {
  return {
    totpIssuer: read.string('TOTP_ISSUER', context.jwtIssuer),
    sealingKeys: readSealingKeys(read, context),
    passkeys: readPasskeys(read, context),
    requireMfaFor: readAuthorityList(read, 'REQUIRE_MFA_FOR'),
    recentSignInMs: read.duration('MFA_RECENT_SIGN_IN', '15m', 60_000),
  };
}

/** `id:base64,id:base64`, the first sealing; each key 32 bytes (openssl rand -base64 32). */
function readSealingKeys(read: EnvReader, { environment, serverSecret }: SecondFactorsContext): readonly SealingKey[] | undefined {
  const text = read.raw('MFA_ENCRYPTION_KEYS');
  if (text === undefined) {
    if (environment === 'production') return undefined;
    // A fixed derivation, so development instances and restarts open each other's secrets.
    return [{ id: 'development', key: Buffer.from(hkdfSync('sha256', serverSecret, '', 'totp-secret-sealing', KEY_BYTES)) }];
  }
  const keys: SealingKey[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator < 1 || !KEY_ID.test(id) || key.length !== KEY_BYTES) {
      read.fail(`MFA_ENCRYPTION_KEYS: each entry must be <id>:<base64 of ${KEY_BYTES} bytes>, the id of A-Z a-z 0-9 _ - (openssl rand -base64 32)`);
      return undefined;
    }
    if (keys.some((other) => other.id === id)) read.fail(`MFA_ENCRYPTION_KEYS: the id ${id} is given twice`);
    keys.push({ id, key });
  }
  const digests = new Set(keys.map(({ key }) => createHash('sha256').update(key).digest('hex')));
  if (digests.size !== keys.length) read.fail('MFA_ENCRYPTION_KEYS: two ids name the same key');
  return keys;
}

function readPasskeys(read: EnvReader, { environment, appUrl }: SecondFactorsContext): PasskeySettings | undefined {
  const rpId = read.raw('WEBAUTHN_RP_ID');
  const rpName = read.string('WEBAUTHN_RP_NAME', 'Account');
  const listed = readOriginList(read, 'WEBAUTHN_ORIGINS');
  if (rpId === undefined) {
    if (environment === 'production') return undefined;
    return { rpId: 'localhost', rpName, origins: listed ?? [new URL(appUrl).origin], anyLocalhostPort: true };
  }
  if (!/^[a-z0-9.-]+$/.test(rpId) || /^[\d.]+$/.test(rpId) || rpId.startsWith('.') || rpId.endsWith('.')) {
    read.fail(`WEBAUTHN_RP_ID=${JSON.stringify(rpId)}: expected a lower-case domain such as example.com (not an IP address or a URL)`);
  }
  const origins = listed ?? [`https://${rpId}`, new URL(appUrl).origin];
  return { rpId, rpName, origins: [...new Set(origins)], anyLocalhostPort: environment !== 'production' && rpId === 'localhost' };
}

function readAuthorityList(read: EnvReader, name: string): readonly string[] {
  const list = read.raw(name)?.split(',').map((entry) => entry.trim()).filter(Boolean) ?? [];
  const wrong = list.filter((authority) => !isAuthority(authority));
  if (wrong.length > 0) read.fail(`${name}: ${wrong.map((entry) => JSON.stringify(entry)).join(', ')} cannot be an authority (printable ASCII without spaces)`);
  return [...new Set(list)];
}
