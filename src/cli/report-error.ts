/** Turns an error into the one or two lines a person sees. */
import chalk from 'chalk';
import type { ArtifactError } from '../errors.js';

export function formatError(error: ArtifactError, debug: boolean): string {
  let text = `${chalk.red(`error ${error.code}`)}: ${error.message}\n`;
  if (error.hint) text += `${chalk.dim(`hint: ${error.hint}`)}\n`;
  if (debug) {
    const cause = error.cause instanceof Error ? error.cause : error;
    text += `${cause.stack ?? String(cause)}\n`;
  }
  return text;
}
