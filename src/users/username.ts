/**
 * One spelling per account: Unicode NFKC then lower case, so `Alice`, `ALICE`
 * and the full-width `Ａｌｉｃｅ` are the same user.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase().trim();
}
