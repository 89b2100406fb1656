/**
 * The settings table of docs/configuration.md, rendered from the table in definitions.ts.
 * `npm run docs:configuration` writes it (scripts/generate-configuration-doc.mjs), and
 * test/config/configuration-doc.test.ts fails when the file no longer matches the table.
 * Nothing at run time imports this file; it is compiled to dist/ for the script.
 */
import type { SettingDefinition } from './definitions.js';

export const TABLE_START = '<!-- settings table: generated from src/config/definitions.ts by `npm run docs:configuration`; edit the table there, not here -->';
export const TABLE_END = '<!-- end of the generated settings table -->';

export function renderSettingsTable(settings: readonly SettingDefinition[]): string {
  const rows = settings.map((setting) =>
    [code(setting.key), setting.kind.expected, defaultOf(setting), setting.env ? code(setting.env) : '(file only)', flagOf(setting), setting.description]
      .map(cell)
      .join(' | '),
  );
  return ['| Key | Value | Default | Environment variable | Flag | Meaning |', '|---|---|---|---|---|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** The document with the text between its two markers replaced by the table as it is now. */
export function withSettingsTable(document: string, settings: readonly SettingDefinition[]): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`The document has no settings table markers (${TABLE_START} ... ${TABLE_END}).`);
  return `${document.slice(0, start + TABLE_START.length)}\n${renderSettingsTable(settings)}\n${document.slice(end)}`;
}

function defaultOf(setting: SettingDefinition): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  return setting.default ? code(JSON.stringify(setting.default())) : 'none';
}

function flagOf(setting: SettingDefinition): string {
  if (!setting.flag) return '';
  const commands = setting.flagOf?.map(code).join(', ');
  return commands ? `${code(setting.flag)} of ${commands}` : code(setting.flag);
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A Markdown table cell: a pipe would end it, a line break would end the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
