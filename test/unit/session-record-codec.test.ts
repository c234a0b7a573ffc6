import { decodeSessionRecord, encodeSessionRecord } from '../../src/sessions/session-record-codec';
import { decodeUserAgent, encodeUserAgent } from '../../src/sessions/user-agent-codec';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const session = {
  id: 'XItemG4yM9bZ5vDdtJY2kA',
  userId: '01a20ab8-e066-7b0c-bd64-d3c7f72a45fb',
  createdAt: 1_795_476_270_116,
  expiresAt: 1_796_081_070_116,
  absoluteExpiresAt: 1_796_081_070_999,
  lastSeenAt: 1_795_476_330_000,
};

describe('the session record codec', () => {
  it.each([
    ['every field', { ...session, ip: '2001:db8::7', userAgent: CHROME }],
    ['no ip or user agent', session],
    ['a user agent with the separator, unicode and control characters', { ...session, userAgent: 'evil|agent ünïcode \u0001 | |' }],
    ['a 512-character user agent', { ...session, userAgent: 'x'.repeat(256) + CHROME.repeat(3).slice(0, 256) }],
    ['how it signed in', { ...session, amr: ['pwd', 'otp'] }],
    ['a passkey sign-in from a browser', { ...session, userAgent: CHROME, amr: ['hwk'] }],
  ])('reads back what it wrote: %s', (_, record) => {
    const encoded = encodeSessionRecord({ ...record, refreshTokenHash: 'Ah0i3lFkwX5jwt-HQFVB-u' });
    expect(encoded.split('|')).toHaveLength(9);
    expect(decodeSessionRecord(record.userId, record.id, encoded)).toEqual(record);
  });

  it('reads a record of an older version, written before amr, as a session without one', () => {
    const older = encodeSessionRecord(session).split('|').slice(0, 8).join('|');
    expect(decodeSessionRecord(session.userId, session.id, older)).toEqual(session);
  });

  it('packs a browser user agent into a fraction of its length', () => {
    expect(encodeUserAgent(CHROME).length).toBeLessThan(CHROME.length / 3);
    expect(decodeUserAgent(encodeUserAgent(CHROME))).toBe(CHROME);
  });

  it('shows no user agent, rather than failing, for one it cannot read', () => {
    expect(decodeUserAgent('zAAAA')).toBeUndefined();
    expect(decodeUserAgent('a!!notbase64')).toBeUndefined();
  });
});
