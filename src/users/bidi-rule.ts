/**
 * The Bidi Rule of RFC 5893 §2, which RFC 8265 applies to usernames holding
 * right-to-left text: such a name is shown right to left, and the rule makes sure
 * it shows the same way in every context, so a digit or a full stop cannot wander
 * to the other end and make one name display as another.
 *
 * JavaScript regular expressions cannot ask for Bidi_Class, so the class is derived
 * from properties they do have, for the characters a username may hold at all
 * (letters, marks, digits and `. _ @ -`; see username-profile.ts):
 * - a letter or digit of a right-to-left script is R/AL: checked against Unicode 17,
 *   every letter of those scripts is R or AL and no letter of any other script is,
 *   apart from the Arabic tatweel, which the IdentifierClass refuses anyway;
 * - the Arabic-Indic digits of the Arabic, Hanifi Rohingya and Garay scripts are AN,
 *   the extended Arabic-Indic digits and ASCII digits EN (Unicode's other EN and AN
 *   digits are compatibility characters, refused before this rule runs);
 * - nonspacing marks are NSM, `.` is CS, `-` is ES, `_` and `@` are ON;
 * - everything else is L. Unicode gives a few Common-script modifier letters
 *   (`ʹ`, `ˈ`, `ꜗ`...) the class ON and five Kannada and Zanabazar Square marks
 *   the class L instead: the first difference only refuses more right-to-left
 *   names, the second only touches names that mix scripts, refused elsewhere.
 */

type BidiClass = 'L' | 'R' | 'AN' | 'EN' | 'NSM' | 'ES' | 'CS' | 'ON';

/** Scripts written right to left (Unicode 17); names the running engine does not know yet are left out. */
const RIGHT_TO_LEFT_SCRIPTS = [
  'Adlam', 'Arabic', 'Avestan', 'Chorasmian', 'Cypriot', 'Elymaic', 'Garay', 'Hanifi_Rohingya', 'Hatran',
  'Hebrew', 'Imperial_Aramaic', 'Inscriptional_Pahlavi', 'Inscriptional_Parthian', 'Kharoshthi', 'Lydian',
  'Mandaic', 'Manichaean', 'Mende_Kikakui', 'Meroitic_Cursive', 'Meroitic_Hieroglyphs', 'Nabataean', 'Nko',
  'Old_Hungarian', 'Old_North_Arabian', 'Old_Sogdian', 'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur',
  'Palmyrene', 'Phoenician', 'Psalter_Pahlavi', 'Samaritan', 'Sidetic', 'Sogdian', 'Syriac', 'Thaana', 'Yezidi',
];

const RIGHT_TO_LEFT = new RegExp(
  `^[${RIGHT_TO_LEFT_SCRIPTS.filter(isKnownScript).map((script) => `\\p{Script=${script}}`).join('')}]$`,
  'u',
);
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;
/** Arabic-Indic (U+0660), Hanifi Rohingya (U+10D30) and Garay (U+10D40) digits. */
const ARABIC_NUMBER = /^[\u0660-\u0669\u{10d30}-\u{10d39}\u{10d40}-\u{10d49}]$/u;
/** ASCII and extended Arabic-Indic (U+06F0) digits. */
const EUROPEAN_NUMBER = /^[0-9\u06f0-\u06f9]$/u;
const NONSPACING_MARK = /^[\p{Mn}\p{Me}]$/u;
const PUNCTUATION: Readonly<Record<string, BidiClass>> = { '.': 'CS', '-': 'ES', _: 'ON', '@': 'ON' };

function isKnownScript(script: string): boolean {
  try {
    new RegExp(`\\p{Script=${script}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

function bidiClass(char: string): BidiClass {
  if (ARABIC_NUMBER.test(char)) return 'AN';
  if (EUROPEAN_NUMBER.test(char)) return 'EN';
  if (LETTER_OR_DIGIT.test(char) && RIGHT_TO_LEFT.test(char)) return 'R';
  if (NONSPACING_MARK.test(char)) return 'NSM';
  return PUNCTUATION[char] ?? 'L';
}

/** Whether `text` holds right-to-left characters (R, AL or AN), which make the Bidi Rule apply. */
export function hasRightToLeft(text: string): boolean {
  return [...text].some((char) => {
    const kind = bidiClass(char);
    return kind === 'R' || kind === 'AN';
  });
}

/**
 * RFC 5893 §2 for a name that is one label: true when it holds no right-to-left
 * characters (RFC 8265 applies the rule only then), or when it is a well-formed
 * right-to-left label (conditions 1 to 4).
 */
export function satisfiesBidiRule(text: string): boolean {
  if (!hasRightToLeft(text)) return true;
  const classes = [...text].map(bidiClass);
  // 1. It starts with a strong right-to-left character.
  if (classes[0] !== 'R') return false;
  // 2. No left-to-right character anywhere.
  if (classes.includes('L')) return false;
  // 3. It ends with R, AL, EN or AN, then nonspacing marks only.
  const last = classes.filter((kind) => kind !== 'NSM').at(-1);
  if (last !== 'R' && last !== 'EN' && last !== 'AN') return false;
  // 4. European and Arabic-Indic digits never together.
  return !(classes.includes('EN') && classes.includes('AN'));
}
