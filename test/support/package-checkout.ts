import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A stand-in for a checkout of this repository at `checkout`, holding only the workspace
 * package `packages/<name>` (without dist/) and the repository's installed node_modules:
 * enough for `npm pack` to build the package there, so the build never writes into the
 * repository, where `npm run build` and other tests use dist/. Returns the package's folder.
 */
export function checkoutWithPackage(checkout: string, name: 'client' | 'subgraph'): string {
  const packageDir = join(checkout, 'packages', name);
  mkdirSync(join(checkout, 'packages'), { recursive: true });
  cpSync(join(ROOT, 'packages', name), packageDir, { recursive: true, filter: (source) => !/[\\/](dist|node_modules)$/.test(source) });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  return packageDir;
}
