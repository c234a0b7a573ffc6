/**
 * ` (ENOENT)`-style suffix from an error's `code`, or nothing. Only the code: an
 * error's message can quote the input (a key, a secret), and problems must never.
 */
export function errorCodeSuffix(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? ` (${code})` : '';
}
