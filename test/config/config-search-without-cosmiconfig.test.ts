/**
 * Importing cosmiconfig costs every command ~30 ms, so it is loaded only when a directory on the
 * search path holds one of the names it reads. Here it cannot be loaded at all: a command in a
 * directory with files that only look like config files must not try.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { makeTempDir } from '../helpers/temp-dir.js';

vi.mock('cosmiconfig', () => {
  throw new Error('cosmiconfig was imported');
});

describe('the config search without cosmiconfig', () => {
  it('does not load cosmiconfig for names it would not read', async () => {
    const dir = makeTempDir('artifact-cli-config-');
    writeFileSync(path.join(dir, 'package.json'), '{"name": "some-project"}');
    // Not search places of cosmiconfig 9: artifact-cli.config.json is a common guess (and what
    // the benchmark writes for --config), the others are backups and look-alikes.
    for (const name of ['artifact-cli.config.json', '.artifact-clirc.bak', '.artifact-clirc.json~', 'artifact-cli.config.jsonc']) {
      writeFileSync(path.join(dir, name), '{"domain": "not-read"}');
    }
    mkdirSync(path.join(dir, '.config'));
    writeFileSync(path.join(dir, '.config', 'artifact-clirc.old'), '{"domain": "not-read"}');
    const config = await loadConfig({}, {}, dir);
    expect(config.configFile).toBeUndefined();
    expect(config.domain).toBeUndefined();
  });

  it('does load it for a name it reads (so the mock above is what the first test relies on)', async () => {
    const dir = makeTempDir('artifact-cli-config-');
    writeFileSync(path.join(dir, 'package.json'), '{"name": "some-project"}');
    writeFileSync(path.join(dir, '.artifact-clirc.json'), '{"domain": "read"}');
    // vitest reports the failed import of the mocked module in its own words.
    await expect(loadConfig({}, {}, dir)).rejects.toThrow(/mock/);
  });
});
