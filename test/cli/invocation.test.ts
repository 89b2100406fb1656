import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommand } from '../../src/cli/invocation.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('cliCommand', () => {
  const dir = makeTempDir('invocation-');
  const script = path.join(dir, 'checkout', 'bin', 'artifact-cli.js');
  mkdirSync(path.dirname(script), { recursive: true });
  writeFileSync(script, '');

  it('is node with the absolute script when artifact-cli is not on PATH', () => {
    expect(cliCommand({ PATH: '/nowhere' }, script)).toBe(`node ${script}`);
  });

  it('is the bare name when PATH leads to this very script (npm link)', () => {
    const bin = path.join(dir, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(script, path.join(bin, 'artifact-cli'));
    expect(cliCommand({ PATH: `/nowhere${path.delimiter}${bin}` }, script)).toBe('artifact-cli');
  });

  it('is not fooled by another artifact-cli on PATH', () => {
    const other = path.join(dir, 'other');
    mkdirSync(other, { recursive: true });
    writeFileSync(path.join(other, 'artifact-cli'), '');
    expect(cliCommand({ PATH: other }, script)).toBe(`node ${script}`);
  });

  it('quotes a path a shell would split', () => {
    const spaced = path.join(dir, 'my checkout', 'artifact-cli.js');
    mkdirSync(path.dirname(spaced), { recursive: true });
    writeFileSync(spaced, '');
    expect(cliCommand({ PATH: '' }, spaced)).toBe(`node '${spaced}'`);
  });
});
