/** Prints a command's result as json, text or table (--query is applied before, in query.ts). */
import { ValidationError } from '../errors.js';
import { renderTable } from './output-table.js';
import { renderText } from './output-text.js';

export type OutputFormat = 'json' | 'text' | 'table';

export function chooseOutputFormat(requested: string | undefined, isTty: boolean): OutputFormat {
  if (requested === undefined) return isTty ? 'table' : 'json';
  if (requested === 'json' || requested === 'text' || requested === 'table') return requested;
  throw new ValidationError(`--output must be json, text or table; got ${JSON.stringify(requested)}.`);
}

export interface RenderOptions {
  /** The table's title: the operation name, as the AWS CLI has it (ListRepositories). */
  title?: string;
  /** Terminal columns; a table wider than this turns one-row boxes into name/value rows. */
  width?: number;
}

export function renderResult(value: unknown, format: OutputFormat, options: RenderOptions = {}): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value, null, 4);
  if (format === 'json') return `${json}\n`;
  // Text and table show what json would: fields left undefined are not there at all.
  const plain: unknown = JSON.parse(json);
  switch (format) {
    case 'text':
      return renderText(plain);
    case 'table':
      return renderTable(plain, options.title ?? '', options.width ?? 80);
  }
}

/** list-repositories -> ListRepositories, the title the AWS CLI gives a table. */
export function operationTitle(commandName: string): string {
  return commandName
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
