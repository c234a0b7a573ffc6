/** An authority as accounts hold it (`ROLE_ADMIN`, `orders:read`): 1 to 128 printable ASCII characters, no spaces. */
export function isAuthority(text: string): boolean {
  return AUTHORITY_PATTERN.test(text);
}

const AUTHORITY_PATTERN = /^[\x21-\x7e]{1,128}$/;
