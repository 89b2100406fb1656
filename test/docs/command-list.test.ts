/** README.md and docs/commands.md list the commands of the table, as `npm run docs:generate` writes them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER_END, MARKER_START, readmeCommandList, referenceCommandList, replaceBetweenMarkers } from '../../src/cli/command-docs.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import type { CommandSpec } from '../../src/cli/command-spec.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';

function listed(file: string): string {
  const text = readFileSync(path.join(PROJECT_DIR, file), 'utf8');
  const start = text.indexOf(MARKER_START);
  const end = text.indexOf(MARKER_END);
  expect(start, `${file} has the start marker`).toBeGreaterThan(-1);
  expect(end, `${file} has the end marker`).toBeGreaterThan(start);
  return text.slice(start + MARKER_START.length, end).trim();
}

describe('the generated command lists', () => {
  it.each([
    ['README.md', readmeCommandList],
    ['docs/commands.md', referenceCommandList],
  ])('%s lists the table as it is (else run npm run docs:generate)', (file, render) => {
    expect(listed(file), `${file} drifted from src/cli/command-specs/; run npm run docs:generate`).toBe(render(COMMANDS));
  });

  it('would notice a command added to the table, or a summary changed', () => {
    const extra: CommandSpec = { ...COMMANDS[0], name: 'make-coffee', summary: 'Brew.' };
    expect(readmeCommandList([...COMMANDS, extra])).not.toBe(listed('README.md'));
    const changed = COMMANDS.map((spec, index) => (index === 3 ? { ...spec, summary: 'Something else.' } : spec));
    expect(referenceCommandList(changed)).not.toBe(listed('docs/commands.md'));
  });

  it('replaces only what stands between the markers, and refuses a file without them', () => {
    const text = `before\n${MARKER_START}\nold\n${MARKER_END}\nafter\n`;
    expect(replaceBetweenMarkers(text, 'new', 'x.md')).toBe(`before\n${MARKER_START}\nnew\n${MARKER_END}\nafter\n`);
    expect(() => replaceBetweenMarkers('no markers', 'new', 'x.md')).toThrow(/x\.md lacks the command list markers/);
  });
});
