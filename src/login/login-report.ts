/** The lines `login` prints for a person, worded like `aws codeartifact login`. */
import { DRY_RUN_TOKEN, type LoginResult } from './perform-login.js';

export function formatLoginReport(result: LoginResult, now: Date): string {
  const lines: string[] = [];
  if (result.dryRun) {
    for (const file of result.files) {
      lines.push(file.status === 'unchanged' ? `${file.path} would not change.` : `Would write ${file.path}:`, '');
      if (file.status !== 'unchanged' && file.content !== undefined) lines.push(...file.content.replace(/\r?\n$/, '').split(/\r?\n/), '');
    }
  } else {
    for (const file of result.files) {
      const verb = file.status === 'created' ? 'Created' : file.status === 'updated' ? 'Updated' : 'Left unchanged';
      lines.push(`${verb} ${file.path}${file.backup ? ` (the previous file is kept as ${file.backup})` : ''}`);
    }
    lines.push(`Successfully configured ${result.tool} to use artifact-cli repository ${result.repositoryEndpoint}`);
  }
  lines.push(
    `${result.dryRun ? 'A login now would expire' : 'Login expires'} in ${describeDuration(Date.parse(result.expiration) - now.getTime())} at ${result.expiration}`,
  );
  if (result.instructions) lines.push('', ...result.instructions);
  if (result.dryRun) lines.push('', `Dry run: no file was changed and no token was issued; ${DRY_RUN_TOKEN} stands where login puts a new token.`);
  return `${lines.join('\n')}\n`;
}

/** "12 hours" for whole hours, else minutes ("15 minutes"). */
export function describeDuration(milliseconds: number): string {
  const minutes = Math.max(0, Math.round(milliseconds / 60_000));
  if (minutes % 60 === 0 && minutes > 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
