/** `completion bash|zsh|fish`: prints the shell completion script made from the command table. */
import { ValidationError } from '../../errors.js';
import type { CliContext } from '../context.js';

export async function completion(_options: unknown, _context: CliContext, [shell]: string[]): Promise<undefined> {
  const { SHELLS, completionScript } = await import('../completion-scripts.js');
  const known = SHELLS.find((candidate) => candidate === shell);
  if (!known) throw new ValidationError(`completion takes bash, zsh or fish; got ${JSON.stringify(shell)}.`);
  const { buildProgram } = await import('../program.js');
  const { completionModel } = await import('../completion-model.js');
  process.stdout.write(completionScript(known, completionModel(await buildProgram())));
  return undefined;
}
