/** How a child process ended: an exit code, a signal, or a failure to spawn at all. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

export function isMissingBinary(exit: ProcessExit): boolean {
  return isErrnoException(exit.spawnError) && exit.spawnError.code === 'ENOENT';
}

export function describeExit(exit: ProcessExit): string {
  if (exit.spawnError) return `could not be spawned (${exit.spawnError.message})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
