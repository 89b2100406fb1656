/**
 * docs/configuration.md's settings table is generated from the settings table
 * (src/config/definitions.ts): these fail when the file drifts from it, and show that a bad value
 * from the file, the environment or a flag is refused with an error that names the setting,
 * where it came from and the value itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { renderSettingsTable, TABLE_END, TABLE_START, withSettingsTable } from '../../src/config/configuration-doc.js';
import { flagOption, SETTINGS, type SettingDefinition } from '../../src/config/definitions.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ValidationError } from '../../src/errors.js';
import { PROJECT_DIR, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const DOC = path.join(PROJECT_DIR, 'docs', 'configuration.md');
const SCRIPT = path.join(PROJECT_DIR, 'scripts', 'generate-configuration-doc.mjs');

describe('docs/configuration.md', () => {
  it('holds the settings table exactly as the table renders it (run `npm run docs:configuration` after changing a setting)', () => {
    const text = readFileSync(DOC, 'utf8');
    expect(text).toContain(TABLE_START);
    expect(withSettingsTable(text, SETTINGS)).toBe(text);
  });

  it('lists every setting once, with its variable, flag and default', () => {
    const table = renderSettingsTable(SETTINGS);
    for (const setting of SETTINGS) {
      const rows = table.split('\n').filter((row) => row.startsWith(`| \`${setting.key}\` |`));
      expect(rows, setting.key).toHaveLength(1);
      if (setting.env) expect(rows[0]).toContain(`\`${setting.env}\``);
      if ('flag' in setting) expect(rows[0]).toContain(`\`${setting.flag}\``);
      expect(rows[0]).toContain(setting.kind.expected);
    }
    expect(table).toContain('| `server.port` | an integer from 0 to 65535 | `8573` | `ARTIFACT_CLI_PORT` | `--port` of `serve` |');
    expect(table).toContain(
      '| `root` | a non-empty path | `$XDG_DATA_HOME/artifact-cli`, else `~/.local/share/artifact-cli` | `ARTIFACT_CLI_ROOT` | `--root` |',
    );
  });

  it('drifts when a row of the table changes', () => {
    const text = readFileSync(DOC, 'utf8');
    const changed: SettingDefinition[] = SETTINGS.map((setting) => (setting.key === 'server.port' ? { ...setting, default: () => 9999 } : setting));
    expect(withSettingsTable(text, changed)).not.toBe(text);
    expect(withSettingsTable(text, changed)).toContain('| `server.port` | an integer from 0 to 65535 | `9999` |');
    expect(() => withSettingsTable('# no markers\n', SETTINGS)).toThrow(/no settings table markers/);
    expect(() => withSettingsTable(`${TABLE_END}\n${TABLE_START}\n`, SETTINGS)).toThrow(/no settings table markers/);
  });

  it('is checked by the generator script: --check passes on the file and fails on a stale copy', () => {
    // The script reads the table compiled to dist/ (npm run build).
    expect(execFileSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' })).toContain('matches the settings table');
    const stale = path.join(makeTempDir('artifact-cli-config-doc-'), 'configuration.md');
    writeFileSync(stale, readFileSync(DOC, 'utf8').replace('`8573`', '`8080`'));
    const result = spawnSync(process.execPath, [SCRIPT, '--check', stale], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is out of date: run `npm run docs:configuration`');
    expect(readFileSync(stale, 'utf8')).toContain('`8080`');
  });
});

describe('the Config type', () => {
  it('is inferred from the table: a setting with a default is always there, one without is optional', () => {
    expectTypeOf<Config['root']>().toEqualTypeOf<string>();
    expectTypeOf<Config['domain']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['server']>().toEqualTypeOf<{ host: string; port: number; publicUrl?: string; maxUploadBytes: number; allowAnonymousRead: boolean }>();
    expectTypeOf<Config['upstream']>().toEqualTypeOf<{ metadataMaxAgeSeconds: number; timeoutMs: number; assetOrigins: string[] }>();
    expectTypeOf<Config['externalConnections']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<Config['configFile']>().toEqualTypeOf<string | undefined>();
  });

  it('is what loadConfig returns, with a key for every row of the table', async () => {
    const dir = makeTempDir('artifact-cli-config-');
    writeFileSync(path.join(dir, 'package.json'), '{"name": "p"}');
    const config = await loadConfig({}, {}, dir);
    for (const setting of SETTINGS) {
      const [group, leaf] = setting.key.includes('.') ? setting.key.split('.') : [undefined, setting.key];
      const holder = (group ? (config as unknown as Record<string, Record<string, unknown>>)[group] : config) as Record<string, unknown>;
      expect(Object.hasOwn(holder, leaf), setting.key).toBe(true);
      expect(holder[leaf], setting.key).toEqual(setting.default?.());
    }
  });
});

describe('a bad value names the setting, where it came from and the value', () => {
  /** A value each kind of setting refuses from a file (JSON) and from the environment (text). */
  const BAD: Record<SettingDefinition['type'], [unknown, string]> = {
    path: [42, ''],
    host: [42, 'not a host'],
    integer: ['12', 'twelve'],
    boolean: ['yes', 'yes'],
    url: ['ftp://127.0.0.1/', 'not a url'],
    'url-map': [['http://127.0.0.1/'], ''],
    'origin-list': ['http://127.0.0.1/', ''],
    'domain-name': ['Not A Name', 'Not A Name'],
    'repository-name': ['-x', '-x'],
  };

  for (const setting of SETTINGS) {
    const [fileValue, envValue] = BAD[setting.type];
    it(`${setting.key} in a config file`, async () => {
      const dir = makeTempDir('artifact-cli-config-');
      const file = path.join(dir, '.artifact-clirc.json');
      writeFileSync(path.join(dir, 'package.json'), '{"name": "p"}');
      writeFileSync(file, JSON.stringify(setting.key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), fileValue)));
      const error = await loadConfig({}, {}, dir).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain(`Setting ${setting.key} from ${file} must be ${setting.kind.expected}; got ${JSON.stringify(fileValue)}`);
    });
    // The environment's empty string means "not set"; the kinds that take any text from it are the string ones.
    if (setting.env && envValue !== '') {
      it(`${setting.key} from $${setting.env}`, async () => {
        const error = await loadConfig({}, { [setting.env!]: envValue }, makeTempDir()).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toContain(
          `Setting ${setting.key} from $${setting.env} must be ${setting.kind.expected}; got ${JSON.stringify(envValue)}`,
        );
      });
    }
  }

  // Commander hands a flag's value over as text, as the environment does; a path or a host takes any text, a switch is only true.
  for (const setting of SETTINGS.filter((row) => 'flag' in row && (row.type === 'integer' || row.type === 'url'))) {
    const flag = (setting as SettingDefinition).flag!;
    const [, text] = BAD[setting.type];
    it(`${setting.key} from ${flag}`, async () => {
      const error = await loadConfig({ [flagOption(flag)]: text }, {}, makeTempDir()).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain(`Setting ${setting.key} from ${flag} must be ${setting.kind.expected}; got ${JSON.stringify(text)}`);
    });
  }

  it('in the built CLI: one line naming the variable or the flag, exit code 2', async () => {
    const root = makeTempDir('artifact-cli-config-root-');
    const fromEnv = await runCli(['list-domains'], { root, env: { ARTIFACT_CLI_PORT: '80x' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toBe('error Validation: Setting server.port from $ARTIFACT_CLI_PORT must be an integer from 0 to 65535; got "80x".\n');
    const fromFlag = await runCli(
      ['--endpoint-url', 'ftp://127.0.0.1/', 'get-repository-endpoint', '--domain', 'acme', '--repository', 'main', '--format', 'npm'],
      { root },
    );
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toBe('error Validation: Setting server.publicUrl from --endpoint-url must be an http(s) URL; got "ftp://127.0.0.1/".\n');
    // A command's own flag for a setting is read by the option table first: serve --port is no NaN.
    const fromServeFlag = await runCli(['serve', '--port', 'abc'], { root });
    expect(fromServeFlag.code).toBe(2);
    expect(fromServeFlag.stderr).toBe('error Validation: --port must be an integer from 0 to 65535; got "abc".\n');
  });
});
