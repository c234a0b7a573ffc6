/** The CLI's exit codes; scripts branch on these, so they never change meaning. */
export const ExitCode = {
  ok: 0,
  /** Not found, or input the service rejected (taken username, weak password). */
  rejected: 1,
  /** Bad arguments or bad configuration: nothing was attempted. */
  usage: 2,
  /** Redis could not be reached or did not answer. */
  unavailable: 3,
  /** Ctrl-C at the password prompt, as a shell reports SIGINT. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
