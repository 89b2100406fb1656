/**
 * The command lists of README.md and docs/commands.md, written from the command table by
 * `npm run docs:generate` (scripts/generate-command-docs.mjs) between marker comments; a test
 * fails when the files drift from the table.
 */
import { COMMAND_GROUPS, type CommandGroup, type CommandSpec } from './command-spec.js';

/** The page that explains each group, from the repository's root. */
const GROUP_PAGES: Partial<Record<CommandGroup, string>> = {
  'Packages and versions': 'docs/packages.md',
  'Package groups': 'docs/policies.md',
  Policies: 'docs/policies.md',
  'Tokens and login': 'docs/login.md',
  'Local server': 'docs/server.md',
  Maintenance: 'docs/storage.md',
};

export const MARKER_START = '<!-- commands:start (written by `npm run docs:generate` from src/cli/command-specs/; edit those, not this list) -->';
export const MARKER_END = '<!-- commands:end -->';

function nameOf(spec: CommandSpec): string {
  return `\`${spec.name}\`${spec.aliases?.length ? ` (alias ${spec.aliases.map((alias) => `\`${alias}\``).join(', ')})` : ''}`;
}

function byGroup(commands: readonly CommandSpec[]): [CommandGroup, CommandSpec[]][] {
  return COMMAND_GROUPS.map((group) => [group, commands.filter((spec) => spec.group === group)]);
}

/** README.md: one row a group, with the page that explains it. */
export function readmeCommandList(commands: readonly CommandSpec[]): string {
  const rows = byGroup(commands).map(([group, specs]) => {
    const page = GROUP_PAGES[group];
    return `| **${group}**${page ? ` ([${page}](${page}))` : ''} | ${specs.map(nameOf).join(', ')} |`;
  });
  return ['| Group | Commands |', '|---|---|', ...rows].join('\n');
}

/** docs/commands.md: every command with its summary, under its group. */
export function referenceCommandList(commands: readonly CommandSpec[]): string {
  const rows = byGroup(commands).flatMap(([group, specs]) => [
    `| **${group}** | |`,
    ...specs.map((spec) => `| ${nameOf(spec)} | ${spec.summary.replace(/\|/g, '\\|')} |`),
  ]);
  return ['| Command | What it does |', '|---|---|', ...rows].join('\n');
}

/** The text with what stands between the markers replaced; an error when the markers are missing. */
export function replaceBetweenMarkers(text: string, list: string, file: string): string {
  const start = text.indexOf(MARKER_START);
  const end = text.indexOf(MARKER_END);
  if (start < 0 || end < start) throw new Error(`${file} lacks the command list markers ${MARKER_START} ... ${MARKER_END}.`);
  return `${text.slice(0, start + MARKER_START.length)}\n${list}\n${text.slice(end)}`;
}
