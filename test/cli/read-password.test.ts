import { PassThrough } from 'node:stream';
import { InterruptedError, RejectedInputError } from '../../src/cli/cli-errors';
import { readFirstLine, readNewPassword } from '../../src/cli/read-password';

/** A terminal as far as the reader can tell: isTTY and a raw mode that is recorded. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  const setRawMode = (mode: boolean) => input.rawModes.push(mode);
  const terminal = Object.assign(input, { setRawMode });
  const prompts = new PassThrough();
  let shown = '';
  prompts.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { terminal, prompts, shown: () => shown };
}

function pipeOf(...chunks: (string | Buffer)[]): PassThrough {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream;
}

describe('reading the new password from a pipe', () => {
  it('takes the first line only, without its line end, and nothing is trimmed', async () => {
    expect(await readFirstLine(pipeOf(' pass word \nsecond line\n'))).toBe(' pass word ');
    expect(await readFirstLine(pipeOf('windows line\r\n'))).toBe('windows line');
    expect(await readFirstLine(pipeOf('no newline at all'))).toBe('no newline at all');
    expect(await readFirstLine(pipeOf())).toBeUndefined();
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('pässwörd✓\n', 'utf8');
    expect(await readFirstLine(pipeOf(bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)))).toBe('pässwörd✓');
  });

  it('answers at the first newline even when the pipe stays open, and lets go of it', async () => {
    const open = new PassThrough();
    open.write('early line\nmore');
    expect(await readFirstLine(open)).toBe('early line');
    expect(open.destroyed).toBe(true);
  });

  it('refuses an empty first line or an empty input', async () => {
    const prompts = new PassThrough();
    await expect(readNewPassword(pipeOf('\nsecond\n'), prompts, 'alice')).rejects.toThrow(RejectedInputError);
    await expect(readNewPassword(pipeOf(), prompts, 'alice')).rejects.toThrow('No password on stdin');
  });
});

describe('prompting for the new password on a terminal', () => {
  it('asks twice without echo, in raw mode, and restores the terminal', async () => {
    const { terminal, prompts, shown } = fakeTerminal();
    const password = readNewPassword(terminal, prompts, 'alice');
    terminal.write('s3cret pass');
    terminal.write('\r');
    await new Promise((resolve) => setImmediate(resolve));
    terminal.write('s3cret pass\r');
    expect(await password).toBe('s3cret pass');
    expect(shown()).toBe('Password for alice: \nRepeat the password: \n');
    expect(terminal.rawModes).toEqual([true, false, true, false]);
  });

  it('keeps what was typed ahead for the second prompt, and edits with backspace, Ctrl-U and arrow keys', async () => {
    const { terminal, prompts } = fakeTerminal();
    const password = readNewPassword(terminal, prompts, 'alice');
    terminal.write('wrong\u0015pass\u001b[Dwordx\u007f\rpassword\r');
    expect(await password).toBe('password');
  });

  it('refuses two different passwords and an empty one', async () => {
    const first = fakeTerminal();
    const differ = readNewPassword(first.terminal, first.prompts, 'alice');
    first.terminal.write('password one\rpassword two\r');
    await expect(differ).rejects.toThrow('The two passwords differ; nothing was created');

    const second = fakeTerminal();
    const empty = readNewPassword(second.terminal, second.prompts, 'alice');
    second.terminal.write('\r');
    await expect(empty).rejects.toThrow('No password given');
  });

  it('Ctrl-C interrupts and leaves raw mode', async () => {
    const { terminal, prompts } = fakeTerminal();
    const password = readNewPassword(terminal, prompts, 'alice');
    terminal.write('half\u0003');
    await expect(password).rejects.toThrow(InterruptedError);
    expect(terminal.rawModes).toEqual([true, false]);
  });
});
