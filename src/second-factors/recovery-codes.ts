import { createHash, randomInt } from 'node:crypto';

/**
 * Single-use codes for when the authenticator app is lost. Each is 16 characters of
 * Crockford's base32 (80 bits), shown in groups of four. Only their SHA-256 is stored:
 * at 80 random bits no dictionary or brute force reaches one from a dump, so no slow
 * hash (or secret) is needed.
 */
export const RECOVERY_CODE_COUNT = 10;
const GROUPS = 4;
const GROUP_LENGTH = 4;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const NORMALISED_SHAPE = new RegExp(`^[${ALPHABET}]{${GROUPS * GROUP_LENGTH}}$`);

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: GROUPS * GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return characters.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
  });
}

/**
 * The code as typed, reduced to its characters: case, spaces and dashes do not matter,
 * and the letters people read for digits (o, i, l) are the digits, as in Crockford's base32.
 * Undefined when it cannot be a recovery code.
 */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const normalised = typed.toLowerCase().replace(/[\s-]+/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return NORMALISED_SHAPE.test(normalised) ? normalised : undefined;
}

/** What the store keeps of a code (already normalised). */
export function recoveryCodeHash(normalised: string): string {
  return createHash('sha256').update(normalised).digest('base64url');
}
