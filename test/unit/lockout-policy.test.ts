import { clientAddressBucket } from '../../src/brute-force/client-address';
import { lockoutWaitMs, slowdownDelayMs } from '../../src/brute-force/lockout-policy';

const SECOND = 1_000;
const MINUTE = 60_000;
const policy = { failureFactor: 5, waitIncrementMs: MINUTE, maxWaitMs: 15 * MINUTE, failureResetMs: 12 * 60 * MINUTE };
const slowdown = { failureFactor: 10, incrementMs: SECOND, maxDelayMs: 30 * SECOND, failureResetMs: 12 * 60 * MINUTE };

describe('lockout wait after n consecutive failures', () => {
  it('does not lock below the failure factor', () => {
    expect([0, 1, 2, 3, 4].map((n) => lockoutWaitMs(n, policy))).toEqual([0, 0, 0, 0, 0]);
  });

  it('locks for the increment at the factor, doubling with each further failure up to the maximum', () => {
    expect([5, 6, 7, 8, 9, 10].map((n) => lockoutWaitMs(n, policy) / MINUTE)).toEqual([1, 2, 4, 8, 15, 15]);
  });

  it('stays at the maximum however many failures pile up', () => {
    expect(lockoutWaitMs(10_000, policy)).toBe(15 * MINUTE);
  });
});

describe("the gap a spaced attempt leaves before a username's next slot", () => {
  it('is the increment while attempts in flight, not failures, brought the spacing on', () => {
    expect([0, 4, 9].map((n) => slowdownDelayMs(n, slowdown))).toEqual([SECOND, SECOND, SECOND]);
  });

  it('doubles with each failure past the threshold up to the maximum: 1, 2, 4, 8, 16, then 30 s', () => {
    expect([10, 11, 12, 13, 14, 15, 16].map((n) => slowdownDelayMs(n, slowdown) / SECOND)).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });

  it('stays at the maximum however many failures pile up', () => {
    expect(slowdownDelayMs(1_000_000, slowdown)).toBe(30 * SECOND);
  });
});

describe('the address failures are counted against', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts %s as %s', (address, bucket) => {
    expect(clientAddressBucket(address)).toBe(bucket);
  });

  it('puts every address of one IPv6 /64 in one bucket and another /64 in another', () => {
    expect(clientAddressBucket('2001:db8:aa:bb::1')).toBe(clientAddressBucket('2001:db8:aa:bb:9999::42'));
    expect(clientAddressBucket('2001:db8:aa:bb::1')).not.toBe(clientAddressBucket('2001:db8:aa:bc::1'));
  });

  it.each(['', 'localhost', '999.1.1.1', '1.2.3', 'not::an::address', '::ffff:999.1.1.1'])('refuses %j', (text) => {
    expect(clientAddressBucket(text)).toBeUndefined();
  });
});
