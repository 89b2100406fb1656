/**
 * Long options shortened to a prefix, as the AWS CLI's parser allows (`--repo` for
 * `--repository`). The rewriting is checked on the program itself; the built CLI shows the
 * user's side (test/cli/aws-input.test.ts compares whole command lines with the real `aws`).
 */
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { expandOptionPrefixes } from '../../src/cli/option-prefixes.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let program: Command;
beforeAll(async () => {
  program = await buildProgram();
});

const expand = (...args: string[]) => expandOptionPrefixes(['node', 'artifact-cli', ...args], program).slice(2);

describe('expandOptionPrefixes', () => {
  it('writes out a prefix that fits one option of the command', () => {
    expect(expand('describe-repository', '--domain', 'd', '--repo', 'r')).toEqual(['describe-repository', '--domain', 'd', '--repository', 'r']);
    expect(expand('list-repositories-in-domain', '--repo', 'x', '--max-r', '5')).toEqual([
      'list-repositories-in-domain',
      '--repository-prefix',
      'x',
      '--max-results',
      '5',
    ]);
  });

  it('lets an exact name win over the longer options it begins', () => {
    expect(expand('describe-repository', '--domain', 'd', '--domain-owner', '1')).toEqual(['describe-repository', '--domain', 'd', '--domain-owner', '1']);
    expect(expand('list-package-versions', '--package', 'p')).toEqual(['list-package-versions', '--package', 'p']);
  });

  it('keeps the value of --opt=value and of an option whose value starts with --', () => {
    expect(expand('create-repo', '--repo=r', '--desc', '--repo')).toEqual(['create-repo', '--repository=r', '--description', '--repo']);
  });

  it("expands the program's options before the command and after it", () => {
    expect(expand('--out', 'json', 'list-domains', '--que', 'domains')).toEqual(['--output', 'json', 'list-domains', '--query', 'domains']);
    expect(expand('list-domains', '--he')).toEqual(['list-domains', '--help']);
  });

  it('leaves unknown options, single-dash options and everything after -- to commander', () => {
    expect(expand('list-domains', '--nothing-like-this', '-h', '--', '--max')).toEqual(['list-domains', '--nothing-like-this', '-h', '--', '--max']);
  });

  it('refuses an ambiguous prefix, naming every candidate', () => {
    expect(() => expand('describe-repository', '--dom', 'd')).toThrow(/^Ambiguous option --dom: it could be --domain, --domain-owner\.$/);
    // A command's option and a program option can both fit.
    expect(() => expand('create-repository', '--de', 'x')).toThrow(/could be --description, --debug\.$/);
  });
});

describe('the built CLI', () => {
  it("runs the AWS docs' `--repo` spelling", async () => {
    const root = makeTempDir();
    // create-domain has no --domain-owner, so --dom is --domain there.
    await runCliJson(['create-domain', '--dom', 'my-domain'], { root });
    const created = await runCliJson<{ repository: { name: string; description: string } }>(
      ['create-repo', '--domain', 'my-domain', '--repo', 'my-repo', '--desc', 'docs'],
      { root },
    );
    expect(created.repository).toMatchObject({ name: 'my-repo', description: 'docs' });
    const described = await runCli(['--out', 'text', 'describe-repository', '--domain', 'my-domain', '--repo', 'my-repo', '--que', 'repository.name'], {
      root,
    });
    expect(described).toMatchObject({ code: 0, stdout: 'my-repo\n' });
  });

  it('exits 2 with one line naming the candidates of an ambiguous prefix', async () => {
    const result = await runCli(['describe-repository', '--dom', 'd', '--repo', 'r'], { root: makeTempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('error Validation: Ambiguous option --dom: it could be --domain, --domain-owner.');
  });
});
