/**
 * What happens when whoever reads the output closes it early: `artifact-cli list-packages |
 * head`. Node would otherwise print a stack trace for the failed write (EPIPE).
 */
let keepServing = false;

/**
 * A command's reader has what it wanted: that is the reader's choice, not a failure of the
 * command, so the rest of the output is dropped and the command ends quietly with 0. A server
 * keeps serving (its request log is then dropped). Any other write error is unexpected.
 */
export function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  if (!keepServing) process.exit(0);
}

/** For `serve`: a log reader that goes away must not stop the server. */
export function keepServingWhenStdoutCloses(): void {
  keepServing = true;
}
