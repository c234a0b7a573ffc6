import { parseDuration } from './duration';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads typed values from environment variables and collects every problem
 * instead of stopping at the first, so one start shows the operator all of them.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(text)}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  duration(name: string, fallback: string, minMs: number): number {
    const text = this.raw(name) ?? fallback;
    const value = parseDuration(text);
    if (value === undefined || value < minMs) {
      this.problems.push(
        `${name}=${JSON.stringify(text)}: expected a duration such as 30s, 15m, 12h or 7d (at least ${minMs / 1000}s)`,
      );
      return parseDuration(fallback) ?? minMs;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      this.problems.push(`${name}=${JSON.stringify(text)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return text as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (text === 'true' || text === 'false') return text === 'true';
    this.problems.push(`${name}=${JSON.stringify(text)}: expected true or false`);
    return fallback;
  }

  fail(message: string): void {
    this.problems.push(message);
  }
}
