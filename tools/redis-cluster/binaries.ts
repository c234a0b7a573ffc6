import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { RedisCliMissingError, RedisServerMissingError } from './errors';

// Debian installs redis-server in /usr/bin, but sbin dirs are often missing from PATH.
const FALLBACK_BINARY_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];

async function isExecutableFile(filePath: string): Promise<boolean> {
  try {
    await access(filePath, fsConstants.X_OK);
    // Directories pass the X_OK check too.
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function candidatePaths(binaryName: string, preferredDirs: readonly string[]): string[] {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const dirs = [...new Set([...preferredDirs, ...pathDirs, ...FALLBACK_BINARY_DIRS])];
  return dirs.map((dir) => path.join(dir, binaryName));
}

async function findFirstExecutable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export async function resolveRedisServer(explicitPath: string | undefined): Promise<string> {
  const candidates = explicitPath ? [explicitPath] : candidatePaths('redis-server', []);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisServerMissingError(candidates);
  return found;
}

export async function resolveRedisCli(redisServerPath: string): Promise<string> {
  // Prefer the redis-cli shipped next to the chosen server so a custom build uses its own tools.
  const candidates = candidatePaths('redis-cli', [path.dirname(redisServerPath)]);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisCliMissingError(candidates);
  return found;
}
