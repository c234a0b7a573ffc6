/**
 * The "Highly Restrictive" level of Unicode UTS #39 §5.2: a username is written in
 * one script, or in Latin with Chinese, Japanese or Korean (Latin + Han + Hiragana +
 * Katakana, Latin + Han + Bopomofo, Latin + Han + Hangul). So `pаypal` with a
 * Cyrillic `а` is refused, while an all-Cyrillic, Greek or Japanese name is fine.
 *
 * Scripts are read from Script_Extensions (a character used by several scripts, like
 * the Japanese prolonged sound mark, belongs to each), and characters of Common and
 * Inherited (digits, `. _ @ -`, most combining marks) go with any script, as §5.1 says.
 */

/** Every script of Unicode 17 but Common, Inherited and Unknown. */
const SCRIPTS = [
  'Adlam', 'Ahom', 'Anatolian_Hieroglyphs', 'Arabic', 'Armenian', 'Avestan', 'Balinese', 'Bamum', 'Bassa_Vah',
  'Batak', 'Bengali', 'Beria_Erfe', 'Bhaiksuki', 'Bopomofo', 'Brahmi', 'Braille', 'Buginese', 'Buhid',
  'Canadian_Aboriginal', 'Carian', 'Caucasian_Albanian', 'Chakma', 'Cham', 'Cherokee', 'Chorasmian', 'Coptic',
  'Cuneiform', 'Cypriot', 'Cypro_Minoan', 'Cyrillic', 'Deseret', 'Devanagari', 'Dives_Akuru', 'Dogra', 'Duployan',
  'Egyptian_Hieroglyphs', 'Elbasan', 'Elymaic', 'Ethiopic', 'Garay', 'Georgian', 'Glagolitic', 'Gothic', 'Grantha',
  'Greek', 'Gujarati', 'Gunjala_Gondi', 'Gurmukhi', 'Gurung_Khema', 'Han', 'Hangul', 'Hanifi_Rohingya', 'Hanunoo',
  'Hatran', 'Hebrew', 'Hiragana', 'Imperial_Aramaic', 'Inscriptional_Pahlavi', 'Inscriptional_Parthian', 'Javanese',
  'Kaithi', 'Kannada', 'Katakana', 'Kawi', 'Kayah_Li', 'Kharoshthi', 'Khitan_Small_Script', 'Khmer', 'Khojki',
  'Khudawadi', 'Kirat_Rai', 'Lao', 'Latin', 'Lepcha', 'Limbu', 'Linear_A', 'Linear_B', 'Lisu', 'Lycian', 'Lydian',
  'Mahajani', 'Makasar', 'Malayalam', 'Mandaic', 'Manichaean', 'Marchen', 'Masaram_Gondi', 'Medefaidrin',
  'Meetei_Mayek', 'Mende_Kikakui', 'Meroitic_Cursive', 'Meroitic_Hieroglyphs', 'Miao', 'Modi', 'Mongolian', 'Mro',
  'Multani', 'Myanmar', 'Nabataean', 'Nag_Mundari', 'Nandinagari', 'New_Tai_Lue', 'Newa', 'Nko', 'Nushu',
  'Nyiakeng_Puachue_Hmong', 'Ogham', 'Ol_Chiki', 'Ol_Onal', 'Old_Hungarian', 'Old_Italic', 'Old_North_Arabian',
  'Old_Permic', 'Old_Persian', 'Old_Sogdian', 'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur', 'Oriya', 'Osage',
  'Osmanya', 'Pahawh_Hmong', 'Palmyrene', 'Pau_Cin_Hau', 'Phags_Pa', 'Phoenician', 'Psalter_Pahlavi', 'Rejang',
  'Runic', 'Samaritan', 'Saurashtra', 'Sharada', 'Shavian', 'Siddham', 'Sidetic', 'SignWriting', 'Sinhala',
  'Sogdian', 'Sora_Sompeng', 'Soyombo', 'Sundanese', 'Sunuwar', 'Syloti_Nagri', 'Syriac', 'Tagalog', 'Tagbanwa',
  'Tai_Le', 'Tai_Tham', 'Tai_Viet', 'Tai_Yo', 'Takri', 'Tamil', 'Tangsa', 'Tangut', 'Telugu', 'Thaana', 'Thai',
  'Tibetan', 'Tifinagh', 'Tirhuta', 'Todhri', 'Tolong_Siki', 'Toto', 'Tulu_Tigalari', 'Ugaritic', 'Vai', 'Vithkuqi',
  'Wancho', 'Warang_Citi', 'Yezidi', 'Yi', 'Zanabazar_Square',
] as const;

/** A script this engine's Unicode data does not name yet (or newer than the list above): a script of its own. */
export const UNKNOWN_SCRIPT = 'Unknown';

/** The scripts this JavaScript engine can test for; an older engine lacks the newest ones. */
const SCRIPT_TESTS: readonly (readonly [string, RegExp])[] = SCRIPTS.flatMap((script) => {
  try {
    return [[script, new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u')] as const];
  } catch {
    return [];
  }
});

const ANY_SCRIPT = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

/** UTS #39 §5.1 writing systems that combine scripts, named by their ISO 15924 codes. */
const JAPANESE = 'Jpan';
const KOREAN = 'Kore';
const HAN_WITH_BOPOMOFO = 'Hanb';

/**
 * The scripts of one character (Script_Extensions), or undefined for Common and
 * Inherited, which go with every script.
 */
export function scriptsOf(char: string): readonly string[] | undefined {
  if (ANY_SCRIPT.test(char)) return undefined;
  const scripts = SCRIPT_TESTS.filter(([, test]) => test.test(char)).map(([script]) => script);
  return scripts.length > 0 ? scripts : [UNKNOWN_SCRIPT];
}

/** §5.1 augmentation: Han also counts as Japanese, Korean and Han with Bopomofo, kana as Japanese, and so on. */
function augmented(scripts: readonly string[]): Set<string> {
  const set = new Set(scripts);
  if (set.has('Han')) [HAN_WITH_BOPOMOFO, JAPANESE, KOREAN].forEach((script) => set.add(script));
  if (set.has('Hiragana') || set.has('Katakana')) set.add(JAPANESE);
  if (set.has('Hangul')) set.add(KOREAN);
  if (set.has('Bopomofo')) set.add(HAN_WITH_BOPOMOFO);
  return set;
}

/**
 * §5.1 resolved script set: the scripts every character shares (undefined when
 * every character goes with any script), leaving out characters `ignore` accepts.
 */
function resolvedScripts(text: string, ignore: (scripts: readonly string[]) => boolean = () => false): Set<string> | undefined {
  let resolved: Set<string> | undefined;
  for (const char of text) {
    const scripts = scriptsOf(char);
    if (scripts === undefined || ignore(scripts)) continue;
    const mine = augmented(scripts);
    resolved = resolved === undefined ? mine : new Set([...resolved].filter((script) => mine.has(script)));
  }
  return resolved;
}

/** §5.2 "Single Script": some script (or CJK writing system) covers every character. */
export function isSingleScript(text: string): boolean {
  const resolved = resolvedScripts(text);
  return resolved === undefined || resolved.size > 0;
}

/**
 * §5.2 "Highly Restrictive": single script, or Latin plus one CJK writing system
 * (what is left after taking out the characters Latin covers is Japanese, Korean
 * or Chinese with Bopomofo), computed as ICU's spoof checker does.
 */
export function isHighlyRestrictive(text: string): boolean {
  if (isSingleScript(text)) return true;
  const withoutLatin = resolvedScripts(text, (scripts) => scripts.includes('Latin'));
  return withoutLatin === undefined || [JAPANESE, KOREAN, HAN_WITH_BOPOMOFO].some((script) => withoutLatin.has(script));
}
