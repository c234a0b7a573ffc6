/**
 * RFC 7515 §5.2 and RFC 7519 §4 let a JWS/JWT parser refuse a header or claim set
 * whose JSON object names a member twice, and we do: JSON.parse keeps the last
 * `sub`, other parsers keep the first, so `{"sub":"a",...,"sub":"b"}` would name two
 * different users to two verifiers of one token. This scanner reads only the
 * top-level member names, without building values, so it stays far cheaper than
 * the JSON.parse that follows it (which still decides whether the text is JSON).
 */
export type MemberScan = 'unique' | 'duplicate' | 'not an object';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Scans one JSON text; anything this scanner cannot read as an object counts as 'not an object' (fail closed). */
export function scanTopLevelMembers(json: string): MemberScan {
  let at = skipWhitespace(json, 0);
  if (json.charCodeAt(at) !== OPEN_OBJECT) return 'not an object';
  at = skipWhitespace(json, at + 1);
  if (json.charCodeAt(at) === CLOSE_OBJECT) return endsAt(json, at + 1) ? 'unique' : 'not an object';

  const names = new Set<string>();
  const escaped = json.indexOf('\\') !== -1;
  for (;;) {
    if (json.charCodeAt(at) !== QUOTE) return 'not an object';
    const end = stringEnd(json, at);
    if (end === -1) return 'not an object';
    const name = escaped ? unescapedName(json.slice(at, end)) : json.slice(at + 1, end - 1);
    if (name === undefined) return 'not an object';
    if (names.has(name)) return 'duplicate';
    names.add(name);

    at = skipWhitespace(json, end);
    if (json.charCodeAt(at) !== COLON) return 'not an object';
    at = valueEnd(json, skipWhitespace(json, at + 1));
    if (at === -1) return 'not an object';
    at = skipWhitespace(json, at);
    const next = json.charCodeAt(at);
    if (next === CLOSE_OBJECT) return endsAt(json, at + 1) ? 'unique' : 'not an object';
    if (next !== COMMA) return 'not an object';
    at = skipWhitespace(json, at + 1);
  }
}

/** The name as JSON.parse reads it, escapes and all: `"s\u0075b"` is `sub`. */
function unescapedName(raw: string): string | undefined {
  try {
    const name: unknown = JSON.parse(raw);
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Index just past the string starting at `start` (its opening quote), or -1 when it never closes. */
function stringEnd(json: string, start: number): number {
  for (let at = start + 1; at < json.length; at++) {
    const code = json.charCodeAt(at);
    if (code === BACKSLASH) at++;
    else if (code === QUOTE) return at + 1;
  }
  return -1;
}

/**
 * Index just past the value starting at `start`, or -1. Nested objects and arrays
 * are skipped by depth, without recursion, so no nesting depth can overflow the stack.
 */
function valueEnd(json: string, start: number): number {
  const first = json.charCodeAt(start);
  if (first === QUOTE) return stringEnd(json, start);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return primitiveEnd(json, start);
  let depth = 0;
  let at = start;
  while (at < json.length) {
    const code = json.charCodeAt(at);
    if (code === QUOTE) {
      at = stringEnd(json, at);
      if (at === -1) return -1;
      continue;
    }
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) depth++;
    else if ((code === CLOSE_OBJECT || code === CLOSE_ARRAY) && --depth === 0) return at + 1;
    at++;
  }
  return -1;
}

/** A number, true, false or null: up to the next delimiter; JSON.parse judges its spelling. */
function primitiveEnd(json: string, start: number): number {
  let at = start;
  while (at < json.length) {
    const code = json.charCodeAt(at);
    if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY || isWhitespace(code)) break;
    at++;
  }
  return at === start ? -1 : at;
}

function skipWhitespace(json: string, start: number): number {
  let at = start;
  while (at < json.length && isWhitespace(json.charCodeAt(at))) at++;
  return at;
}

/** JSON's four whitespace characters: space, tab, line feed, carriage return. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function endsAt(json: string, at: number): boolean {
  return skipWhitespace(json, at) === json.length;
}
