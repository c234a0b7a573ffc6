import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { InterruptedError, RejectedInputError } from './cli-errors';

/** stdin as the CLI sees it: a terminal (raw mode for a prompt without echo) or a pipe. */
export interface PasswordInput extends Readable {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

type TerminalInput = PasswordInput & { setRawMode(mode: boolean): unknown };

function isTerminal(input: PasswordInput): input is TerminalInput {
  return input.isTTY === true && typeof input.setRawMode === 'function';
}

/** Enough for any acceptable password (72 bytes) and then some; a longer line is cut here and refused by the policy. */
const MAX_LINE_CHARACTERS = 4_096;

/**
 * The new user's password: typed twice at a prompt without echo when stdin is a
 * terminal, otherwise the first line of stdin (a trailing CR is dropped, nothing
 * else is trimmed). Never from the command line.
 */
export async function readNewPassword(input: PasswordInput, prompts: NodeJS.WritableStream, username: string): Promise<string> {
  if (isTerminal(input)) {
    const password = await promptWithoutEcho(input, prompts, `Password for ${username}: `);
    if (password === '') throw new RejectedInputError('No password given; nothing was created');
    const repeated = await promptWithoutEcho(input, prompts, 'Repeat the password: ');
    if (password !== repeated) throw new RejectedInputError('The two passwords differ; nothing was created');
    return password;
  }
  const line = await readFirstLine(input);
  if (line === undefined || line === '') {
    throw new RejectedInputError('No password on stdin: give it as the first line (or run in a terminal to be prompted)');
  }
  return line;
}

/** The first line, without its line end; undefined when the input ends before anything was read. */
export function readFirstLine(input: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let text = '';
    const finish = (line: string | undefined) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      // Nothing more is read: an open pipe (a cron job's stdin, say) would otherwise keep the process alive.
      input.destroy();
      resolve(line?.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const newline = text.indexOf('\n');
      if (newline >= 0) finish(text.slice(0, newline));
      else if (text.length > MAX_LINE_CHARACTERS) finish(text);
    };
    const onEnd = () => {
      text += decoder.end();
      finish(text === '' ? undefined : text);
    };
    const onError = (error: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      reject(error);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** Terminal escape sequences (arrow keys, function keys): never part of a password. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE_SEQUENCE = /\u001b(\[[0-9;?]*[@-~]|O.|.)?/g;

/**
 * Reads one line from a terminal in raw mode, so nothing typed is echoed; Ctrl-C interrupts.
 * Hand-written: `read` (silent) and `@inquirer/password` both sit on readline, which drops
 * what was typed ahead of the second prompt, moves an invisible cursor on arrow keys and
 * writes cursor escapes around the prompt.
 */
export function promptWithoutEcho(
  input: TerminalInput,
  prompts: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  prompts.write(prompt);
  input.setRawMode(true);
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (rest: string, settle: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      // Typed ahead (the next prompt's answer, say): kept for the next reader. Paused first, so it is not re-emitted here.
      if (rest !== '') input.unshift(Buffer.from(rest, 'utf8'));
      prompts.write('\n');
      settle();
    };
    const onData = (chunk: Buffer | string) => {
      const characters = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk)).replace(ESCAPE_SEQUENCE, '')];
      for (const [index, character] of characters.entries()) {
        const settle = lineEnd(character, typed);
        if (settle) {
          const rest = characters.slice(index + 1).join('');
          return finish(rest, settle === 'interrupt' ? () => reject(new InterruptedError()) : () => resolve(typed.join('')));
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character === '\u0015') typed = [];
        else if (character >= ' ') typed.push(character);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** Enter ends the line, so does Ctrl-D on an empty one; Ctrl-C interrupts. */
function lineEnd(character: string, typed: readonly string[]): 'line' | 'interrupt' | undefined {
  if (character === '\r' || character === '\n') return 'line';
  if (character === '\u0004' && typed.length === 0) return 'line';
  if (character === '\u0003') return 'interrupt';
  return undefined;
}
