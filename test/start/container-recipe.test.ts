import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The container recipe cannot be built where these tests run (no container engine), so
 * this holds it to what can be checked without one: it starts what `npm run start:prod`
 * starts, as a non-root user, and speaks only configuration the service documents.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  readonly environment?: Record<string, string>;
  readonly networks?: Record<string, { ipv4_address?: string }> | string[];
}

describe('the container recipe', () => {
  const dockerfile = read('Dockerfile');
  const compose = parse(read('compose.yaml')) as { services: Record<string, ComposeService> };
  // Every variable named in the first column of a table row (some rows name two: `A` / `B`).
  const firstCells = [...read('docs/configuration.md').matchAll(/^\| ([^|]+) \|/gm)].map((match) => match[1]);
  const documented = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1])));

  it('builds in one stage and runs the compiled service as the non-root node user in another', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runStage).toMatch(/^USER node$/m);
    const startProd = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start:prod'];
    const command = /^CMD (\[.*\])$/m.exec(runStage)?.[1];
    expect(JSON.parse(command ?? 'null')).toEqual(startProd.split(' '));
  });

  it('configures the service only with variables the configuration page documents', () => {
    const names = Object.keys(compose.services.auth.environment ?? {});
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('points the service at nodes of the compose cluster', () => {
    const addresses = Object.values(compose.services).flatMap((service) =>
      Array.isArray(service.networks) ? [] : Object.values(service.networks ?? {}).map((network) => `${network.ipv4_address}:6379`),
    );
    const seeds = (compose.services.auth.environment?.REDIS_CLUSTER_NODES ?? '').split(',');
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.filter((seed) => !addresses.includes(seed))).toEqual([]);
  });
});
