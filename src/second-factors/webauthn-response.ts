import type { PasskeySettings } from './second-factors-config';

/** What the browser signed over, as far as the server needs it before the library checks the rest. */
export interface ClientData {
  readonly challenge: string;
  readonly origin: string;
}

const LOCALHOST_ORIGIN = /^http:\/\/localhost(?::\d{1,5})?$/;

/**
 * The challenge and origin of a WebAuthn response (`response.clientDataJSON`), read
 * so the challenge can be looked up and spent; undefined for anything not shaped so.
 * Everything else, the origin included, is checked again by @simplewebauthn/server.
 */
export function readClientData(response: unknown): ClientData | undefined {
  if (!isRecord(response) || !isRecord(response.response) || typeof response.response.clientDataJSON !== 'string') return undefined;
  try {
    const clientData: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    if (!isRecord(clientData) || typeof clientData.challenge !== 'string' || typeof clientData.origin !== 'string') return undefined;
    return { challenge: clientData.challenge, origin: clientData.origin };
  } catch {
    return undefined;
  }
}

/** Whether a ceremony may come from a page at this origin. */
export function isAllowedOrigin(settings: PasskeySettings, origin: string): boolean {
  return settings.origins.includes(origin) || (settings.anyLocalhostPort && LOCALHOST_ORIGIN.test(origin));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** WebAuthn's user handle for a user: the UUID's 16 bytes, never the username (it is not secret-free). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

/** The user id a user handle (base64url) stands for; undefined when it is not one of ours. */
export function userIdOfHandle(handle: unknown): string | undefined {
  if (typeof handle !== 'string') return undefined;
  const hex = Buffer.from(handle, 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
