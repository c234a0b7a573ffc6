/** HGETALL as a Lua script returns it: a flat [field, value, field, value, ...] array. */
export function flatHashToRecord(flat: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}
