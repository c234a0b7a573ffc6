import { runUsersCli } from '../src/cli/run-users-cli';

/** `npm run users -- <command> [args] [--json]`: see `npm run users -- --help`. */
const FORCED_EXIT_AFTER_MS = 2_000;

// `npm run users -- list | head -1`: a reader that leaves early is no reason for a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`error: cannot write the output: ${error.message}\n`);
});

runUsersCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
}).then((exitCode) => {
  process.exitCode = exitCode;
  // Redis is closed and stdin released by now, so the process ends by itself; should anything
  // still hold the event loop, the administrator's shell must not hang on it.
  setTimeout(() => process.exit(exitCode), FORCED_EXIT_AFTER_MS).unref();
});
