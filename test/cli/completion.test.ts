/**
 * `artifact-cli completion bash|zsh|fish`: the bash script is loaded into a real bash and asked
 * for completions as bash asks (COMP_WORDS, COMP_CWORD, then the function `complete` names);
 * the zsh and fish scripts must at least parse in their shells.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/program.js';
import { toolRuns } from '../helpers/required-tool.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const dir = makeTempDir('artifact-cli-completion-');

async function scriptFile(shell: string): Promise<string> {
  const result = await runCli(['completion', shell]);
  expect(result.code, result.stderr).toBe(0);
  const file = path.join(dir, `artifact-cli.${shell}`);
  writeFileSync(file, result.stdout);
  return file;
}

describe('bash completion', () => {
  let script: string;
  beforeAll(async () => {
    script = await scriptFile('bash');
  });

  /** What bash offers for the command line `words`, the last of which is being typed. */
  function complete(...words: string[]): string[] {
    const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); $(complete -p artifact-cli | sed -E 's/^complete -F ([^ ]+).*/\\1/'); printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = spawnSync('bash', ['-c', program, 'bash', script, 'artifact-cli', ...words], { encoding: 'utf8', cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout.split('\n').filter(Boolean).sort();
  }

  it('registers a function for artifact-cli', () => {
    const result = spawnSync('bash', ['-c', 'source "$1"; complete -p artifact-cli', 'bash', script], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/^complete -F \S+ artifact-cli\n$/);
  });

  it('completes command names, aliases included', () => {
    expect(complete('list-dom')).toEqual(['list-domains']);
    expect(complete('create-rep')).toEqual(['create-repo', 'create-repository']);
    expect(complete('')).toHaveLength(COMMANDS.reduce((count, spec) => count + 1 + (spec.aliases?.length ?? 0), 0));
  });

  it("completes a command's options and the global ones, after global options with values", () => {
    expect(complete('login', '--to')).toEqual(['--tool']);
    expect(complete('--output', 'json', 'get-repository-endpoint', '--dom')).toEqual(['--domain', '--domain-owner']);
    expect(complete('create-repo', '--upst')).toEqual(['--upstreams']);
    expect(complete('list-domains', '--q')).toEqual(['--query']);
  });

  it('completes enum values, file names, and nothing for a free value', () => {
    expect(complete('login', '--tool', '')).toEqual('npm pnpm yarn pip twine maven gradle nuget dotnet cargo gem bundler swift aws'.split(' ').sort());
    expect(complete('list-packages', '--domain', 'd', '--format', 'n')).toEqual(['npm', 'nuget']);
    expect(complete('--output', '')).toEqual(['json', 'table', 'text']);
    writeFileSync(path.join(dir, 'package-lock.json'), '{}');
    expect(complete('sync', '--from', 'package-l')).toEqual(['package-lock.json']);
    expect(complete('list-domains', '--next-token', '')).toEqual([]);
  });

  it('offers exactly the options each command has, for every command', async () => {
    const program = await buildProgram();
    const globals = program.options.map((option) => option.long!);
    for (const command of program.commands) {
      const expected = [...command.options.map((option) => option.long!), ...globals, '--help'].sort();
      expect(complete(command.name(), '--'), command.name()).toEqual([...new Set(expected)].sort());
    }
  });
});

describe('zsh and fish completion', () => {
  it('prints a zsh script that zsh parses', async () => {
    const script = await scriptFile('zsh');
    if (!toolRuns('zsh', ['--version'], 'the zsh completion script')) return;
    const result = spawnSync('zsh', ['-n', script], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([0, '']);
  });

  it('prints a fish script that fish parses', async () => {
    const script = await scriptFile('fish');
    if (!toolRuns('fish', ['--version'], 'the fish completion script')) return;
    const result = spawnSync('fish', ['--no-execute', script], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([0, '']);
    // fish's own completion of a command line, with the script loaded.
    const offered = (line: string) =>
      spawnSync('fish', ['-c', `source ${script}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t')[0])
        .sort();
    expect(offered('artifact-cli list-dom')).toEqual(['list-domains']);
    expect(offered('artifact-cli list-domains --max')).toEqual(['--max-results']);
    expect(offered('artifact-cli get-repository-endpoint --format ')).toEqual(['cargo', 'generic', 'maven', 'npm', 'nuget', 'pypi', 'ruby', 'swift']);
  });

  it('gives fish every command, and the choices of --format', async () => {
    const result = await runCli(['completion', 'fish']);
    for (const spec of COMMANDS) expect(result.stdout).toContain(` -a ${spec.name} -d `);
    expect(result.stdout).toMatch(/-l format -x -a 'npm pypi maven nuget generic ruby swift cargo'/);
  });
});

describe('the completion command', () => {
  it('refuses a shell it does not know with one line and exit 2', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error Validation: completion takes bash, zsh or fish; got "tcsh".\n');
    expect(result.stdout).toBe('');
  });
});
