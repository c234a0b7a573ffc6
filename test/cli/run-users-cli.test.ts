import { PassThrough } from 'node:stream';
import { runUsersCli } from '../../src/cli/run-users-cli';
import { TEST_JWT_SECRET } from '../support/test-env';

/** The runner in this process, for the paths that never reach Redis: cheap enough to try many. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (chunks.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (chunks.stderr += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runUsersCli(argv, { env: { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, ...env }, stdin, stdout, stderr });
  return { code, ...chunks };
}

describe('the users CLI runner, before it reaches a store', () => {
  it.each([
    [['--help']],
    [['-h']],
    [['help']],
    [['help', 'list']],
    [['list', '--help']],
    [['create', 'alice', '--help']],
  ])('%j prints usage and exits 0, whatever the configuration', async (argv) => {
    const result = await run(argv, { PORT: 'not a port' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: npm run users -- /);
    expect(result.stdout).toContain('Exit codes: 0 done, 1 not found or input rejected, 2 usage or configuration error, 3 store unavailable.');
  });

  it.each([
    [[], 'no command given'],
    [['frob'], 'unknown command "frob"'],
    [['help', 'frob'], 'unknown command "frob"'],
    [['create'], 'create: missing argument'],
    [['reset-mfa'], 'reset-mfa: missing argument'],
    [['disable', 'a', 'b'], 'disable: too many arguments (2, at most 1)'],
    [['show', 'alice', '--first', '3'], 'show does not take --first'],
    [['create', 'alice', '--none'], 'create does not take --none'],
    [['list', '--first', 'ten'], '--first expects a whole number'],
    [['list', '--first'], "Option '--first <value>' argument missing"],
    [['list', '--verbose'], 'unknown option --verbose'],
    [['set-authorities', 'alice'], 'needs at least one authority, or --none'],
    [['set-authorities', 'alice', 'ROLE_A', '--none'], 'either authorities or --none, not both'],
    [['create', 'alice', '--password', 'hunter2hunter2'], '--password is refused'],
    [['--password=hunter2hunter2', 'help'], '--password is refused'],
  ])('%j is a usage error: exit 2, one line on stderr', async (argv, message) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('lists reset-mfa in the usage, and its own help says what it removes', async () => {
    expect((await run(['--help'])).stdout).toContain("\n  reset-mfa <username|id>\n      remove a user's second factors and revoke all of its sessions\n");
    const help = await run(['reset-mfa', '--help']);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run users -- reset-mfa <username\|id> \[--json\]\n/);
    expect(help.stdout).toContain('recovery codes');
  });

  it('does not repeat extra arguments to create: one of them may be a password', async () => {
    const result = await run(['create', 'alice', 'hunter2hunter2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: create: too many arguments (2, at most 1); usage: create <username> [--authority A]...; ' +
        'the password is never an argument: it is read from the terminal or stdin\n',
    );
  });

  it('exits 2 with every bad variable on one line, and with no store configured', async () => {
    const bad = await run(['list'], { BCRYPT_COST: 'cheap', SESSION_CHECK: 'sometimes' });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe(
      'error: invalid configuration: SESSION_CHECK="sometimes": expected one of enforce, record, off; ' +
        'BCRYPT_COST="cheap": expected an integer from 4 to 31\n',
    );
    const memory = await run(['show', 'alice']);
    expect(memory).toMatchObject({ code: 2, stdout: '' });
    expect(memory.stderr).toMatch(/^error: No store configured: [^\n]+in-memory store[^\n]+\n$/);
  });
});
