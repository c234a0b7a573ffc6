import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { checkoutWithPackage } from './package-checkout';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Nothing of the server may come along with a workspace package. */
export const SERVER_PACKAGES = [
  'express',
  'react',
  'react-dom',
  'graphiql',
  'type-graphql',
  'bcryptjs',
  'ts-node',
  'prom-client',
  'jsonwebtoken',
  'helmet',
  'pino',
  'cors',
  'class-validator',
  '@apollo/subgraph',
];

interface NpmTree {
  /** Absent for an optional peer that `npm ls` lists but nothing installed. */
  readonly version?: string;
  readonly dependencies?: Record<string, NpmTree>;
}

function installedEntries(tree: NpmTree): [string, NpmTree][] {
  return Object.entries(tree.dependencies ?? {}).filter(([, child]) => child.version !== undefined);
}

function namesIn(tree: NpmTree): string[] {
  return installedEntries(tree).flatMap(([name, child]) => [name, ...namesIn(child)]);
}

async function installedTree(projectDir: string): Promise<NpmTree> {
  const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: projectDir });
  return JSON.parse(stdout) as NpmTree;
}

/**
 * `npm pack` of a workspace package (its prepack builds dist/ with type declarations),
 * installed with `npm install <tarball>` into `projectDir`, a fresh project outside the
 * repository, as a user outside it would. The package is packed from a copy of its
 * sources, so its build never writes into the repository (where `npm run build` and
 * other tests use dist/). Returns the paths the tarball holds.
 */
export async function packAndInstall(packageDir: string, projectDir: string): Promise<string[]> {
  const checkout = mkdtempSync(join(tmpdir(), `${basename(packageDir)}-checkout-`));
  try {
    const copy = checkoutWithPackage(checkout, basename(packageDir) as 'client' | 'subgraph');
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', projectDir], { cwd: copy });
    const [{ filename, files }] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'outside-project', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', join(projectDir, filename)], { cwd: projectDir });
    return files.map((file) => file.path);
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

/** Adds registry packages to the project, as its author would next to the workspace package. */
export async function installFromRegistry(projectDir: string, specs: readonly string[]): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', ...specs], { cwd: projectDir });
}

/** Every package name installed in the project, at any depth. */
export async function installedPackageNames(projectDir: string): Promise<Set<string>> {
  return new Set(namesIn(await installedTree(projectDir)));
}

/** The package's top-level dependencies as installed: name → version. */
export async function directDependencies(projectDir: string, name: string): Promise<Record<string, string>> {
  const tree = await installedTree(projectDir);
  const entries = installedEntries(tree.dependencies?.[name] ?? {});
  return Object.fromEntries(entries.map(([dependency, child]) => [dependency, child.version as string]));
}
