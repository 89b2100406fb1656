/** Turns an error into the one or two lines a person sees. */
import { Chalk } from 'chalk';
import type { ArtifactError } from '../errors.js';
import { colorLevel } from './color.js';

export function formatError(error: ArtifactError, debug: boolean): string {
  const chalk = new Chalk({ level: colorLevel(process.stderr) });
  let text = `${chalk.red(`error ${error.code}`)}: ${error.message}\n`;
  if (error.hint) text += `${chalk.dim(`hint: ${error.hint}`)}\n`;
  if (debug) {
    const cause = error.cause instanceof Error ? error.cause : error;
    text += `${cause.stack ?? String(cause)}\n`;
  }
  return text;
}
