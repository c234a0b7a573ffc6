import { readFileSync } from 'node:fs';
import type { RedisClient } from './client';

export type LuaScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/**
 * Registers a Lua script with ioredis (EVALSHA with a transparent reload), routed
 * on a cluster by its first key. `preludeFiles` are prepended, since Lua scripts
 * in Redis cannot include one another.
 */
export function defineScript(
  client: RedisClient,
  name: string,
  numberOfKeys: number,
  files: readonly string[],
): LuaScript {
  const lua = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  client.defineCommand(name, { numberOfKeys, lua });
  const command = (client as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[name];
  return (keys, args) => command.call(client, ...keys, ...args);
}
