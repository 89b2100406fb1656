import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile, writeConfigFile } from '../../src/login/config-files.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe('config file writes', () => {
  it('reads a missing file as undefined', async () => {
    expect(await readConfigFile(path.join(makeTempDir(), 'none'))).toBeUndefined();
  });

  it('creates the folder and a 0600 file, with no backup when there was nothing to keep', async () => {
    const file = path.join(makeTempDir(), 'deep', 'er', '.npmrc');
    expect(await writeConfigFile(file, 'a=1\n')).toEqual({ path: file });
    expect(await fs.readFile(file, 'utf8')).toBe('a=1\n');
    expect(await modeOf(file)).toBe(0o600);
    await expect(fs.access(`${file}.bak`)).rejects.toThrow();
  });

  it('tightens an existing world-readable file to 0600 and keeps the first backup only', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'settings.xml');
    await fs.writeFile(file, 'original', { mode: 0o644 });
    expect(await writeConfigFile(file, 'second')).toEqual({ path: file, backup: `${file}.bak` });
    expect(await writeConfigFile(file, 'third')).toEqual({ path: file });
    expect(await fs.readFile(file, 'utf8')).toBe('third');
    expect(await modeOf(file)).toBe(0o600);
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe('original');
    expect(await modeOf(`${file}.bak`)).toBe(0o600);
    // No temp files are left beside it.
    expect((await fs.readdir(dir)).sort()).toEqual(['settings.xml', 'settings.xml.bak']);
  });

  it('writes through a symbolic link instead of replacing the link', async () => {
    const dir = makeTempDir();
    const real = path.join(dir, 'dotfiles', 'npmrc');
    await fs.mkdir(path.dirname(real));
    await fs.writeFile(real, 'old\n');
    const link = path.join(dir, '.npmrc');
    await fs.symlink(real, link);
    const outcome = await writeConfigFile(link, 'new\n');
    expect(outcome.path).toBe(await fs.realpath(real));
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(link, 'utf8')).toBe('new\n');
  });

  it('reports a folder it cannot write as one error naming the file', async () => {
    const dir = makeTempDir();
    const blocker = path.join(dir, 'not-a-dir');
    await fs.writeFile(blocker, '');
    await expect(writeConfigFile(path.join(blocker, 'pip.conf'), 'x')).rejects.toThrow(/Could not write .*not-a-dir\/pip\.conf/);
  });
});
