import { satisfiesBidiRule } from './bidi-rule';
import { firstOutsideIdentifierClass } from './precis-identifier-class';
import { isHighlyRestrictive } from './script-mix';

/**
 * The PRECIS UsernameCaseMapped profile of RFC 8265 §3.3, with this service's
 * narrower repertoire on top. Its mapping replaces the NFKC of earlier versions,
 * which also folded compatibility characters (`ﬁ` into `fi`, `ª` into `a`) and so let
 * a name be typed in look-alike ways; those are now refused instead. For every name
 * both accept, the stored spelling is the same (test/unit/username-profile.test.ts).
 */

export const MAX_USERNAME_LENGTH = 64;

/** Letters (with their combining marks), digits and a few separators: no spaces, braces or control characters in Redis keys or logs. */
const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._@-]*$/u;

/** Why a username is refused, each with its own message in username-policy.ts. */
export type UsernameRefusal = 'shape' | 'character' | 'direction' | 'mixed-scripts';

export type UsernameProfileResult =
  | { readonly accepted: true; readonly username: string }
  | { readonly accepted: false; readonly refusal: UsernameRefusal };

/** U+3000 and the Halfwidth and Fullwidth Forms block: exactly the code points Unicode decomposes as <wide> or <narrow>. */
const WIDTH_FORM = /[\u3000\uff00-\uffef]/gu;
/** Halfwidth Hangul letters, whose <narrow> decomposition is a Hangul Compatibility Jamo (NFKC goes one step further). */
const HALFWIDTH_HANGUL = /^[\uffa0-\uffdc]$/u;

/**
 * RFC 8265 §3.3.1 width mapping: a full-width or half-width form becomes its
 * decomposition mapping (`Ａ` → `A`, `ｶ` → `カ`). For all but the Hangul letters that
 * is the code point's NFKC. The fullwidth macron alone decomposes to U+00AF rather
 * than NFKC's space + combining macron: both are refused, so the difference never shows.
 */
function mapWidth(text: string): string {
  return text.replace(WIDTH_FORM, (char) => (HALFWIDTH_HANGUL.test(char) ? compatibilityJamo(char) : char.normalize('NFKC')));
}

/** The Hangul Compatibility Jamo (U+3131–U+318E) that a halfwidth Hangul letter stands for: the one with the same NFKC. */
function compatibilityJamo(halfwidth: string): string {
  const target = halfwidth.normalize('NFKC');
  for (let codePoint = 0x3131; codePoint <= 0x318e; codePoint += 1) {
    const jamo = String.fromCodePoint(codePoint);
    if (jamo.normalize('NFKC') === target) return jamo;
  }
  return halfwidth;
}

/**
 * The profile's mapping (RFC 8265 §3.3.2 steps 1 to 3): width mapping, lower case
 * (Unicode default case conversion), NFC. Never throws; the result may still be refused.
 */
export function prepareUsername(input: string): string {
  return mapWidth(input).toLowerCase().normalize('NFC');
}

/**
 * Maps `input` and decides whether it is an acceptable new username: RFC 8265
 * UsernameCaseMapped (IdentifierClass, Bidi Rule), at most 64 code points of
 * letters, marks, digits and `. _ @ -` starting with a letter or digit, and one
 * script (UTS #39 Highly Restrictive). Leading and trailing spaces are dropped first,
 * as forms and terminals add them unseen.
 */
export function enforceUsernameProfile(input: string): UsernameProfileResult {
  const username = prepareUsername(input.trim());
  const length = [...username].length;
  if (length === 0 || length > MAX_USERNAME_LENGTH || !USERNAME_PATTERN.test(username)) return refused('shape');
  if (firstOutsideIdentifierClass(username) !== undefined) return refused('character');
  if (!satisfiesBidiRule(username)) return refused('direction');
  if (!isHighlyRestrictive(username)) return refused('mixed-scripts');
  return { accepted: true, username };
}

function refused(refusal: UsernameRefusal): UsernameProfileResult {
  return { accepted: false, refusal };
}
