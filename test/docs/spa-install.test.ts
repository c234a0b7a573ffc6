import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blocksUnder } from '../support/doc-blocks';
import { checkoutWithPackage } from '../support/package-checkout';

const run = promisify(execFile);

describe("the SPA quick start's install commands, run as written", () => {
  let workspace: string;

  beforeAll(() => {
    // The layout the block assumes: the SPA's project next to a checkout of this repository
    // (here the client package and the installed node_modules, so its build never writes into the repository).
    workspace = mkdtempSync(join(tmpdir(), 'spa-quick-start-'));
    checkoutWithPackage(join(workspace, 'graphql-auth-service'), 'client');
    mkdirSync(join(workspace, 'spa'));
    writeFileSync(join(workspace, 'spa', 'package.json'), JSON.stringify({ name: 'spa', version: '1.0.0', private: true }));
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('packs the client from the checkout and installs it into the SPA, typed and usable', async () => {
    const [block] = blocksUnder('docs/spa.md', 'The typed client for SPAs', 'sh');
    const spa = join(workspace, 'spa');
    await run('bash', ['-e', '-c', block], { cwd: spa, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });

    expect(existsSync(join(spa, 'node_modules', '@graphql-auth-service', 'client', 'dist', 'index.d.ts'))).toBe(true);
    const { stdout } = await run(
      'node',
      ['-e', "const c = require('@graphql-auth-service/client'); console.log(typeof c.createAuthClient, c.LoginDocument.kind)"],
      { cwd: spa },
    );
    expect(stdout.trim()).toBe('function Document');
  }, 180_000);
});
