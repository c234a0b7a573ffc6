/**
 * The PRECIS IdentifierClass (RFC 8264 §4.2), the repertoire RFC 8265 builds
 * usernames from: letters, digits and their marks, and printable ASCII. It shuts
 * out what looks like something else or like nothing at all: compatibility
 * characters (`ﬁ`, `①`, `ℌ`, superscripts), invisible ones (joiners, variation
 * selectors, fillers), controls, spaces, symbols, punctuation, unassigned code points.
 *
 * The derivation follows RFC 8264 §8 in its order, each rule deciding for the code
 * points the earlier ones left open. The contextual code points (the joiners
 * U+200C/U+200D, and the middle dots and gereshes of RFC 5892 Appendix A) are
 * refused outright instead of checked in context: the joiners are invisible, and
 * the others are punctuation that a username never needs.
 */

/** RFC 5892 §2.6 exceptions that are PVALID although their category would refuse them. */
const EXCEPTIONS_VALID = new Set([0x00df, 0x03c2, 0x06fd, 0x06fe, 0x0f0b, 0x3007]);
/** RFC 5892 §2.6 exceptions that are refused although they are letters or marks (tatweel, vertical kana repeat marks...). */
const EXCEPTIONS_REFUSED = new Set([0x0640, 0x07fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b]);
/** RFC 5892 §2.6 CONTEXTO exceptions and the CONTEXTJ joiners: refused here (see above). */
const CONTEXTUAL = new Set([0x00b7, 0x0375, 0x05f3, 0x05f4, 0x30fb, 0x200c, 0x200d]);

const UNASSIGNED = /^\p{Cn}$/u;
/** Conjoining jamo that NFC could not compose into a syllable (RFC 5892 §2.9, Hangul_Syllable_Type L, V or T). */
const OLD_HANGUL_JAMO = /^[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]$/u;
/** RFC 8264 §9.13: Default_Ignorable_Code_Point or Noncharacter_Code_Point. */
const PRECIS_IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]$/u;
const CONTROL = /^\p{Cc}$/u;
/** RFC 8264 §9.1 LetterDigits: Ll, Lu, Lo, Nd, Lm, Mn, Mc. */
const LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;

/** Whether one code point (given as a string) is PVALID in the IdentifierClass. */
export function isIdentifierClassCodePoint(char: string): boolean {
  const codePoint = char.codePointAt(0) as number;
  if (EXCEPTIONS_VALID.has(codePoint)) return true;
  if (EXCEPTIONS_REFUSED.has(codePoint) || CONTEXTUAL.has(codePoint)) return false;
  if (UNASSIGNED.test(char)) return false;
  if (codePoint >= 0x21 && codePoint <= 0x7e) return true;
  if (OLD_HANGUL_JAMO.test(char) || PRECIS_IGNORABLE.test(char) || CONTROL.test(char)) return false;
  // HasCompat (RFC 8264 §9.17): a character whose compatibility form differs is a
  // variant of another one, so it would let two spellings look alike.
  if (char.normalize('NFKC') !== char) return false;
  // What remains of Lt, Nl, No, Me, spaces, symbols and punctuation is ID_DISALLOWED;
  // format, private-use and surrogate code points are DISALLOWED.
  return LETTER_DIGIT.test(char);
}

/** The first code point of `text` outside the IdentifierClass, if any. */
export function firstOutsideIdentifierClass(text: string): string | undefined {
  return [...text].find((char) => !isIdentifierClassCodePoint(char));
}
