import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { blocksUnder, documentedAnswer } from '../support/doc-blocks';
import { tryToConnect } from '../support/try-to-connect';

const ROOT = join(__dirname, '..', '..');
const SECTION = 'Log in within a minute';
/** The port the README's block talks to: the service's default. */
const README_PORT = 4000;

/** What the README says the block prints. */
function documentedOutput(): RegExp {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const stated = /It answers `([^`]+)`/.exec(readme.slice(readme.indexOf(`## ${SECTION}`)))?.[1];
  if (!stated) throw new Error(`README.md states no answer under "${SECTION}"`);
  return documentedAnswer(stated);
}

describe("the README's first login, pasted into a shell at the repository's root", () => {
  afterAll(() => rmSync(join(ROOT, 'auth-service.log'), { force: true }));

  it('starts the service, logs in with the banner password, and prints the answer the README shows; kill %1 stops it', async () => {
    const [block] = blocksUnder('README.md', SECTION, 'sh');
    expect(await tryToConnect({ host: '127.0.0.1', port: README_PORT })).toMatchObject({ code: 'ECONNREFUSED' });

    // As in a terminal: job control on, so `&` gives the job a process group of its own and
    // `kill %1` signals all of it. The block as written, then the README's own way to stop
    // the service, and the shell stays until every process of the job has exited.
    const script = ['set -m', block, 'JOB_GROUP=$(jobs -p %1)', 'kill %1', 'while pgrep -g "$JOB_GROUP" > /dev/null; do sleep 0.2; done'].join('\n');
    const shell = spawn('bash', ['-c', script], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [code] = (await once(shell, 'exit')) as [number | null];
      // The shell's own job notices ("[1]+ Terminated ...") are all it may write there.
      const complaints = stderr.split('\n').filter((line) => line !== '' && !/^\[\d+\][+-]? /.test(line));
      expect({ code, complaints }).toEqual({ code: 0, complaints: [] });
      expect(stdout.trim()).toMatch(documentedOutput());
      expect(await tryToConnect({ host: '127.0.0.1', port: README_PORT })).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      if (shell.pid !== undefined) {
        try {
          process.kill(-shell.pid, 'SIGKILL');
        } catch {
          // Already gone with all its children.
        }
      }
    }
  }, 120_000);
});
