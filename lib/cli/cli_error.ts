// How the tfcv command fails: a message for the user and an exit code — 2 for a wrong
// command line (unknown option, bad value, missing argument), 1 for a failure while doing
// the work (an unreadable image, a missing mask, a model that cannot load).
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT_USAGE);
