import type { EnvReader } from './env-reader';

/**
 * A comma-separated list of origins (`https://app.example.com`: scheme, host, optional
 * port; no path, no wildcard); undefined when the variable is not set.
 */
export function readOriginList(read: EnvReader, name: string): string[] | undefined {
  const text = read.raw(name);
  if (text === undefined) return undefined;
  const origins = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = origins.filter((origin) => !isOrigin(origin));
  if (bad.length > 0) {
    read.fail(`${name}: ${bad.map((origin) => JSON.stringify(origin)).join(', ')} are not origins like https://app.example.com (scheme, host, optional port; no path, no wildcard)`);
  }
  return origins;
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}
