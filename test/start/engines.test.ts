import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(__dirname, '..', '..');

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const nodeRange = (entry: LockedPackage): string | undefined =>
  entry.engines && !Array.isArray(entry.engines) ? (entry.engines as { node?: string }).node : undefined;

describe('the Node versions the service claims', () => {
  const supported = readJson<{ engines: { node: string } }>('package.json').engines.node;
  const locked = readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json').packages;

  it('are versions every installed package accepts, so npm ci warns of no engine', () => {
    const refusing = Object.entries(locked)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = nodeRange(entry);
        return range !== undefined && !semver.subset(supported, range) ? [`${path}@${entry.version}: node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('are the running Node', () => {
    expect(semver.satisfies(process.version, supported)).toBe(true);
  });

  it.each(['packages/subgraph', 'packages/client'])('fall within what %s declares', (folder) => {
    const declared = readJson<{ engines: { node: string } }>(`${folder}/package.json`).engines.node;
    expect(semver.subset(supported, declared)).toBe(true);
  });
});
