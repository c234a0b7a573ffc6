/**
 * Output that is safe on a terminal. Session user agents and IPs come from HTTP
 * clients: a control character or escape sequence in them must not reach the
 * administrator's terminal as one.
 */

/** C0 and C1 controls, DEL, and the Unicode bidirectional overrides that reorder what a reader sees. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw inside strings: everything above but C0, which it escapes itself. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escapeCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Makes one line of text out of anything a client may have sent. */
export function safeText(value: string): string {
  return value.replace(UNSAFE_CHARACTER, escapeCharacter);
}

/** Pretty JSON that stays valid JSON: the characters JSON.stringify leaves raw are escaped too. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, escapeCharacter)}\n`;
}

/** A left-aligned table with a header row; empty cells print as `-`. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((row) => row.map((cell) => (cell === '' ? '-' : safeText(cell))));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => [...(row[column] ?? '')].length)));
  const lines = cells.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length)))
      .join('  '),
  );
  return `${lines.join('\n')}\n`;
}

/** `label: value` lines with the values aligned. */
export function fields(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([label]) => label.length)) + 1;
  return entries.map(([label, value]) => `${`${label}:`.padEnd(width)} ${safeText(value)}\n`).join('');
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
