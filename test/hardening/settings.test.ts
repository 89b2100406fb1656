/**
 * Strict validation of every setting, generated from the settings table itself, so a setting
 * added later is covered without touching this file: every JSON type a setting does not take,
 * every bound plus and minus one, values that overflow a timer, and the same through the
 * environment; each must be a Validation error naming the setting and where it came from. Then
 * `serve` itself: a bad setting stops it before it says it is serving.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingDefinition } from '../../src/config/definitions.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ValidationError } from '../../src/errors.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { recordFigures } from './support/figures.js';

/** The file layer's shape for one setting: {"server": {"port": value}}. */
function nested(key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

function projectWith(file: unknown): string {
  const dir = makeTempDir('artifact-cli-settings-');
  writeFileSync(path.join(dir, 'package.json'), '{"name": "settings-test"}');
  writeFileSync(path.join(dir, '.artifact-clirc.json'), JSON.stringify(file));
  return dir;
}

/** Whether a JSON value is one the setting takes (the table's own rule, written out independently). */
function accepts(setting: SettingDefinition, value: unknown): boolean {
  switch (setting.type) {
    case 'path':
      return typeof value === 'string' && value !== '';
    case 'host':
      return typeof value === 'string' && /^[A-Za-z0-9._:%-]+$/.test(value);
    case 'url':
      return typeof value === 'string' && /^https?:\/\/./.test(value);
    case 'domain-name':
      return typeof value === 'string' && /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/.test(value);
    case 'repository-name':
      return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/.test(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= setting.min! && value <= setting.max!;
    case 'boolean':
      return typeof value === 'boolean';
    case 'url-map':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((url) => typeof url === 'string' && /^https?:\/\/./.test(url))
      );
    case 'origin-list':
      return Array.isArray(value) && value.every((origin) => typeof origin === 'string' && /^https?:\/\/[^/]+\/?$/.test(origin));
  }
}

const WRONG_TYPES: unknown[] = [
  '',
  'x',
  'Not A Name',
  5,
  -1,
  1.5,
  0,
  true,
  false,
  null,
  [],
  ['http://127.0.0.1/'],
  {},
  { nested: 'http://127.0.0.1/' },
  { bad: 5 },
];

function fileCases(setting: SettingDefinition): unknown[] {
  const values = [...WRONG_TYPES];
  if (setting.type === 'integer') {
    values.push(setting.min! - 1, setting.max! + 1, 1e300, -1e300, setting.min!, setting.max!, String(setting.min), setting.min! + 0.5);
  }
  return values;
}

function envCases(setting: SettingDefinition): string[] {
  switch (setting.type) {
    case 'integer':
      return ['abc', '0x10', '1e3', ' 1', '1.5', String(setting.min! - 1), String(setting.max! + 1), '1e300', String(setting.min), String(setting.max)];
    case 'boolean':
      return ['yes', 'TRUE', '2', 'true', '0'];
    case 'url':
      return ['nope', 'ftp://127.0.0.1/', 'http://127.0.0.1:9000/'];
    case 'domain-name':
    case 'repository-name':
      return ['A B', '-x', 'ok-name'];
    case 'origin-list':
      return ['nope', 'http://127.0.0.1:9000/path', 'http://127.0.0.1:9000', 'https://a.example, http://b.example:81'];
    default:
      return ['value'];
  }
}

function envAccepts(setting: SettingDefinition, text: string): boolean {
  switch (setting.type) {
    case 'integer':
      return /^-?\d+$/.test(text) && accepts(setting, Number(text));
    case 'boolean':
      return ['true', 'false', '1', '0'].includes(text);
    case 'origin-list':
      return accepts(
        setting,
        text
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      );
    default:
      return accepts(setting, text);
  }
}

describe('every setting is validated from the settings table', () => {
  let refused = 0;
  let accepted = 0;

  for (const setting of SETTINGS) {
    it(`${setting.key}: in a config file`, async () => {
      for (const value of fileCases(setting)) {
        const loading = loadConfig({}, {}, projectWith(nested(setting.key, value)));
        if (accepts(setting, value)) {
          await expect(loading, `${setting.key} = ${JSON.stringify(value)}`).resolves.toBeTruthy();
          accepted += 1;
        } else {
          const error = await loading.then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error, `${setting.key} = ${JSON.stringify(value)} was accepted`).toBeInstanceOf(ValidationError);
          expect((error as Error).message).toContain(setting.key);
          expect((error as Error).message).toContain('.artifact-clirc.json');
          refused += 1;
        }
      }
    });

    if (setting.env) {
      it(`${setting.key}: from $${setting.env}`, async () => {
        for (const text of envCases(setting)) {
          const loading = loadConfig({}, { [setting.env!]: text }, projectWith({}));
          if (envAccepts(setting, text)) {
            await expect(loading, `${setting.env}=${text}`).resolves.toBeTruthy();
            accepted += 1;
          } else {
            const error = await loading.then(
              () => undefined,
              (caught: unknown) => caught,
            );
            expect(error, `${setting.env}=${JSON.stringify(text)} was accepted`).toBeInstanceOf(ValidationError);
            expect((error as Error).message).toContain(`$${setting.env}`);
            expect((error as Error).message).not.toMatch(/--[a-z]/);
            refused += 1;
          }
        }
      });
    }
  }

  it('refuses every group given as something other than an object, and unknown keys', async () => {
    const groups = [...new Set(SETTINGS.filter((setting) => setting.key.includes('.')).map((setting) => setting.key.split('.')[0]))];
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      for (const value of ['x', 5, true, null, []]) {
        await expect(loadConfig({}, {}, projectWith({ [group]: value })), `${group} = ${JSON.stringify(value)}`).rejects.toThrow(`Setting ${group} in`);
        refused += 1;
      }
      await expect(loadConfig({}, {}, projectWith({ [group]: { notASetting: 1 } }))).rejects.toThrow(`unknown setting "${group}.notASetting"`);
      refused += 1;
    }
    await expect(loadConfig({}, {}, projectWith({ notASetting: 1 }))).rejects.toThrow('unknown setting "notASetting"');
    refused += 1;
    recordFigures('settings validation', { settings: SETTINGS.length, 'values refused': refused, 'values accepted': accepted });
  });
});

describe('serve with a bad setting', () => {
  it.each([
    ['{"upstream": "x"}', /Setting upstream in \S+ must be an object/],
    ['{"server": "x"}', /Setting server in \S+ must be an object/],
    ['{"upstream": {"timeoutMs": 0}}', /Setting upstream\.timeoutMs from \S+ must be an integer from 1 to 2147483647; got 0/],
    ['{"upstream": {"timeoutMs": 1e300}}', /Setting upstream\.timeoutMs from \S+ must be an integer from 1 to 2147483647/],
  ])('%s: one line, exit 2, and it never starts serving', async (file, message) => {
    const dir = makeTempDir('artifact-cli-settings-');
    const config = path.join(dir, 'settings.json');
    writeFileSync(config, file);
    const result = await runCli(['--config', config, 'serve', '--port', '0'], { root: makeTempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error Validation: ${message.source}.*\\n$`));
    expect(result.stdout).not.toMatch(/serving/);
  });
});
