/**
 * The spelling a login looks a username up by: Unicode NFKC, lower case, trimmed,
 * so `Alice`, `ALICE`, ` alice ` and the full-width `Ａｌｉｃｅ` all find `alice`.
 * New names are checked by acceptableUsername (username-policy.ts), whose profile
 * stores exactly this spelling for every name it accepts; this folding is broader
 * (it also maps `ﬁ` to `fi`), so names stored by earlier versions are still found.
 * Never throws, whatever the input: it also keys the brute-force counters.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase().trim();
}
