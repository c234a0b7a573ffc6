/**
 * The `max-age` of a Cache-Control header in milliseconds, or undefined when it has
 * none. Other directives (`no-cache`, `s-maxage`, ...) are not ours to follow: the
 * key source is not a shared cache, and its own floor keeps it from asking too often.
 */
export function cacheMaxAgeMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  for (const directive of header.split(',')) {
    const match = /^\s*max-age\s*=\s*"?(\d{1,10})"?\s*$/i.exec(directive);
    if (match) return Number(match[1]) * 1000;
  }
  return undefined;
}
