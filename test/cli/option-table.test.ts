/**
 * The shared option table: each option declared once, every entry used, and numbers and enums
 * read there with one error that names the flag and echoes what was typed.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { OPTIONS, longFlag, type OptionName } from '../../src/cli/option-table.js';
import { readOptionValue } from '../../src/cli/option-values.js';
import { PACKAGE_FORMATS } from '../../src/formats/registry.js';
import { ValidationError } from '../../src/errors.js';
import { LOGIN_TOOLS } from '../../src/login/login-tools.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const used = new Set(COMMANDS.flatMap((spec) => spec.options.map((use) => (typeof use === 'string' ? use : use[0]))));

describe('the option table', () => {
  it('declares each flag once (sync takes --package as name@range, a list) and every entry is used', () => {
    const flags = Object.values(OPTIONS).map(longFlag);
    expect(flags.filter((flag, index) => flags.indexOf(flag) !== index)).toEqual(['--package']);
    expect(Object.keys(OPTIONS).filter((name) => !used.has(name as OptionName))).toEqual([]);
  });

  it('gives no command the same flag twice', () => {
    for (const spec of COMMANDS) {
      const flags = spec.options.map((use) => longFlag(OPTIONS[typeof use === 'string' ? use : use[0]]));
      expect(
        flags.filter((flag, index) => flags.indexOf(flag) !== index),
        spec.name,
      ).toEqual([]);
    }
  });

  it('offers the formats and login tools the code knows', () => {
    expect(OPTIONS.format.choices).toEqual(PACKAGE_FORMATS);
    expect(OPTIONS.tool.choices).toEqual([...LOGIN_TOOLS, 'aws']);
  });

  it('reads integers in their range and enum values, as typed or from JSON', () => {
    expect(readOptionValue(OPTIONS.maxResults, '25')).toBe(25);
    expect(readOptionValue(OPTIONS.maxResults, 1000)).toBe(1000);
    expect(readOptionValue(OPTIONS.port, ' 0 ')).toBe(0);
    expect(readOptionValue(OPTIONS.format, 'pypi')).toBe('pypi');
    expect(readOptionValue(OPTIONS.namespace, 'anything')).toBe('anything');
    expect(readOptionValue(OPTIONS.maxResults, undefined)).toBeUndefined();
    const refused: [keyof typeof OPTIONS, unknown, string][] = [
      ['maxResults', 'abc', '--max-results must be an integer from 1 to 1000; got "abc".'],
      ['maxResults', '', '--max-results must be an integer from 1 to 1000; got "".'],
      ['maxResults', '2.5', '--max-results must be an integer from 1 to 1000; got "2.5".'],
      ['maxResults', '1e3', '--max-results must be an integer from 1 to 1000; got "1e3".'],
      ['maxResults', 1001, '--max-results must be an integer from 1 to 1000; got 1001.'],
      ['port', '65536', '--port must be an integer from 0 to 65535; got "65536".'],
      ['publish', 'allow', '--publish must be ALLOW or BLOCK; got "allow".'],
      ['sortBy', 'NAME', '--sort-by must be PUBLISHED_TIME; got "NAME".'],
      ['format', 'rpm', '--format must be one of npm, pypi, maven, nuget, generic, ruby, swift, cargo; got "rpm".'],
    ];
    for (const [name, raw, message] of refused) {
      expect(() => readOptionValue(OPTIONS[name], raw), `${name} ${String(raw)}`).toThrow(new ValidationError(message));
    }
  });
});

describe('bad values on the command line', () => {
  const root = makeTempDir();
  it.each([
    [['list-domains', '--max-results', 'abc'], '--max-results must be an integer from 1 to 1000; got "abc".'],
    [['list-repositories', '--max-results', '0'], '--max-results must be an integer from 1 to 1000; got "0".'],
    [['list-domains', '--cli-input-json', '{"maxResults": 5000}'], '--max-results must be an integer from 1 to 1000; got "5000".'],
    [['get-authorization-token', '--domain', 'd', '--duration-seconds', 'long'], '--duration-seconds must be an integer from 0 to 43200; got "long".'],
    [['sync', '--domain', 'd', '--repository', 'r', '--package', 'x@1', '--concurrency', 'many'], '--concurrency must be an integer from 1 to 64; got "many".'],
    [['serve', '--port', 'http'], '--port must be an integer from 0 to 65535; got "http".'],
    [['gc', '--grace-seconds', '-1'], '--grace-seconds must be an integer from 0 to 2147483647; got "-1".'],
    [
      ['get-repository-endpoint', '--domain', 'd', '--repository', 'r', '--format', 'rpm'],
      '--format must be one of npm, pypi, maven, nuget, generic, ruby, swift, cargo; got "rpm".',
    ],
    [
      ['login', '--tool', 'bower', '--domain', 'd', '--repository', 'r'],
      '--tool must be one of npm, pnpm, yarn, pip, twine, maven, gradle, nuget, dotnet, cargo, gem, bundler, swift, aws; got "bower".',
    ],
    [
      ['list-package-versions', '--domain', 'd', '--repository', 'r', '--format', 'npm', '--package', 'p', '--status', 'Gone'],
      '--status must be one of Published, Unfinished, Unlisted, Archived, Disposed; got "Gone".',
    ],
    [
      ['get-repository-endpoint', '--domain', 'd', '--repository', 'r', '--format', 'npm', '--endpoint-type', 'ipv6'],
      '--endpoint-type must be ipv4 or dualstack; got "ipv6".',
    ],
  ])('%j fails with one line naming the flag, exit 2', async (args, message) => {
    const result = await runCli(args, { root });
    expect(result.stderr).toBe(`error Validation: ${message}\n`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('NaN');
  });

  it('passes a good number through as a number', async () => {
    const result = await runCli(['list-domains', '--max-results', '1'], { root });
    expect([result.code, JSON.parse(result.stdout)]).toEqual([0, { domains: [] }]);
  });
});
