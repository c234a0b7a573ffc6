import { isIPv4, isIPv6 } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * The unit failures are counted against for a client address: an IPv4 address as
 * it is (also when it arrives IPv4-mapped), an IPv6 address by its /64, because
 * one subscriber usually holds a whole /64 and could otherwise rotate through it.
 * Undefined for anything that is not an IP address.
 */
export function clientAddressBucket(address: string): string | undefined {
  const mapped = IPV4_MAPPED.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  const withoutZone = address.split('%')[0];
  if (!isIPv6(withoutZone)) return undefined;
  return `${expandIPv6(withoutZone).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without zero compression or leading zeros. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const lastPart = tailParts.at(-1) ?? headParts.at(-1) ?? '';
  // An embedded IPv4 tail (::ffff:0:1.2.3.4) fills two hextets.
  const embeddedIPv4 = lastPart.includes('.') ? 1 : 0;
  const missing = 8 - headParts.length - tailParts.length - embeddedIPv4;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.map((part) => (part.includes('.') ? part : Number.parseInt(part, 16).toString(16)));
}
