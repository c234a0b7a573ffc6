import { createLoginChallenges } from '../../src/second-factors/login-challenge';

const SECRET = 'a-server-secret-that-is-at-least-32-bytes';
const TTL_MS = 5 * 60_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('passkey sign-in challenges: signed, self-contained, expiring', () => {
  const challenges = createLoginChallenges(SECRET, TTL_MS);

  it('reads back its own challenge until it expires, and each one differs', () => {
    const first = challenges.issue(undefined, NOW);
    expect(first).not.toBe(challenges.issue(undefined, NOW));
    expect(challenges.read(first, NOW + TTL_MS - 1)?.expiresAt).toBe(NOW + TTL_MS);
    expect(challenges.read(first, NOW + TTL_MS)).toBeUndefined();
  });

  it('refuses a challenge altered in any byte, signed with another secret, or issued in the future', () => {
    const challenge = challenges.issue('ada', NOW);
    const bytes = Buffer.from(challenge, 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const altered = Buffer.from(bytes);
      altered[index] ^= 0x01;
      expect(challenges.read(altered.toString('base64url'), NOW)).toBeUndefined();
    }
    const foreign = createLoginChallenges('another-server-secret-of-at-least-32-bytes', TTL_MS).issue('ada', NOW);
    expect(challenges.read(foreign, NOW)).toBeUndefined();
    expect(challenges.read(challenges.issue(undefined, NOW + 2 * 60_000), NOW)).toBeUndefined();
    for (const junk of ['', 'not a challenge', challenge.slice(1), `${challenge}A`]) expect(challenges.read(junk, NOW)).toBeUndefined();
  });

  it('allows any username without one, and only its own with one', () => {
    expect(challenges.read(challenges.issue(undefined, NOW), NOW)?.allowsUsername('anyone')).toBe(true);
    const forAda = challenges.read(challenges.issue('ada', NOW), NOW);
    expect(forAda?.allowsUsername('ada')).toBe(true);
    expect(forAda?.allowsUsername('grace')).toBe(false);
  });

  it('names each challenge by a digest of all of it', () => {
    const one = challenges.issue(undefined, NOW);
    const other = challenges.issue(undefined, NOW);
    expect(challenges.read(one, NOW)?.digest).toBe(challenges.read(one, NOW + 1)?.digest);
    expect(challenges.read(one, NOW)?.digest).not.toBe(challenges.read(other, NOW)?.digest);
  });
});
