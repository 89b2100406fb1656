import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS } from '../../src/cli/command-spec.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/program.js';
import { VERSION } from '../../src/cli/version.js';
import { PROJECT_DIR, runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

describe('the program', () => {
  it('gives every command and every option help text', async () => {
    const program = await buildProgram();
    const missing: string[] = [];
    const checkOptions = (owner: string, options: readonly Option[]) => {
      for (const option of options) if (!option.description?.trim()) missing.push(`${owner} ${option.flags}`);
    };
    checkOptions('artifact-cli', program.options);
    const commands = allCommands(program);
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      if (!command.description().trim()) missing.push(`command ${command.name()}`);
      checkOptions(command.name(), command.options);
      for (const argument of command.registeredArguments) {
        if (!argument.description?.trim()) missing.push(`${command.name()} <${argument.name()}>`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no two commands (or aliases) with the same name', async () => {
    const names = allCommands(await buildProgram()).flatMap((command) => [command.name(), ...command.aliases()]);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('registers exactly the commands of the table, each in a group with a summary and examples of itself', async () => {
    const registered = (await buildProgram()).commands.map((command) => [command.name(), ...command.aliases()]);
    expect(registered).toEqual(COMMANDS.map((spec) => [spec.name, ...(spec.aliases ?? [])]));
    for (const spec of COMMANDS) {
      expect(COMMAND_GROUPS, spec.name).toContain(spec.group);
      expect(spec.summary, spec.name).toMatch(/^[A-Z].*\.$/);
      expect(spec.examples.length, spec.name).toBeGreaterThanOrEqual(1);
      for (const example of spec.examples) expect(example).toMatch(new RegExp(`^artifact-cli (${[spec.name, ...(spec.aliases ?? [])].join('|')})( |$)`));
    }
  });

  it('takes every example: each flag in it is an option of its command, with a valid value', async () => {
    for (const spec of COMMANDS) {
      for (const example of spec.examples) {
        const program = await buildProgram();
        let ran = '';
        for (const command of program.commands) command.exitOverride().action(() => void (ran = command.name()));
        // The words as a POSIX shell splits them, up to a redirection.
        const words = [...example.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
        const argv = words.slice(0, words.includes('>') ? words.indexOf('>') : undefined);
        await program.parseAsync(['node', ...argv]);
        expect(ran, example).toBe(spec.name);
      }
    }
  });

  it('lists the groups in their order, each command under its own group, in --help', async () => {
    const result = await runCli(['--help']);
    const headings = [...result.stdout.matchAll(/^(\S[^\n]*):$/gm)].map((match) => match[1]);
    expect(headings).toEqual(['Options', ...COMMAND_GROUPS, 'Commands']);
    const listDomains = result.stdout.indexOf('  list-domains');
    expect(listDomains).toBeGreaterThan(result.stdout.indexOf('Domains:'));
    expect(listDomains).toBeLessThan(result.stdout.indexOf('Repositories:'));
    expect(result.stdout).toContain('List the domains under the root.');
  });

  it("shows a command's examples and the values of its enum and integer options in its --help", async () => {
    const result = await runCli(['login', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:\n  $ artifact-cli login --tool npm --domain my-domain --repository app\n');
    expect(result.stdout).toMatch(/--tool <tool>\s+The package manager, .*\(npm, pnpm, yarn, .*, aws\)/s);
    expect((await runCli(['list-domains', '--help'])).stdout).toMatch(/--max-results <n>\s+At most this many results\. \(1 to 1000\)/);
  });

  it('reports the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

describe('the CLI process', () => {
  it('prints json when stdout is not a terminal', async () => {
    const root = makeTempDir();
    const result = await runCli(['create-domain', '--domain', 'piped'], { root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ domain: { name: 'piped' } });
  });

  it('prints text and table output on request', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'shown'], { root });
    const text = await runCli(['list-domains', '--output', 'text'], { root });
    // Columns sorted by key, as the AWS CLI prints them: arn, createdTime, encryptionKey, name, owner, status.
    expect(text.stdout).toMatch(/^DOMAINS\tarn:aws:codeartifact:local:000000000000:domain\/shown\t\S+\t\S+\tshown\t000000000000\tActive\n$/);
    const table = await runCli(['list-domains', '--output', 'table'], { root });
    expect(table.stdout).toMatch(/^-+\n\|\s+ListDomains\s+\|\n\+-+\+\n\|\|\s+domains\s+\|\|\n/);
  });

  it('prints a bare scalar for --query X --output text, as scripts capture tokens', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'scalar'], { root });
    const result = await runCli(['describe-domain', '--domain', 'scalar', '--query', 'domain.arn', '--output', 'text'], { root });
    expect(result).toMatchObject({ code: 0, stdout: 'arn:aws:codeartifact:local:000000000000:domain/scalar\n' });
  });

  it('exits 2 on usage mistakes', async () => {
    const unknownCommand = await runCli(['make-coffee']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error Validation: Unknown command 'make-coffee'.");
    expect((await runCli(['list-domains', '--no-such-flag'])).code).toBe(2);
    expect((await runCli(['list-domains', '--output', 'yaml'])).code).toBe(2);
    expect((await runCli(['list-domains', '--query', '[[['], { root: makeTempDir() })).code).toBe(2);
  });

  it("words commander's usage errors as every other failure: one error Validation line, then a hint", async () => {
    // Before: "error: unknown option '--domian'", "(Did you mean --domain?)", "(run with --help for usage)".
    const typo = await runCli(['create-domain', '--domian', 'acme']);
    expect(typo.stderr).toBe("error Validation: Unknown option '--domian'.\nhint: Did you mean --domain? Run with --help for the options and examples.\n");
    const command = await runCli(['list-domain']);
    expect(command.stderr).toBe(
      "error Validation: Unknown command 'list-domain'.\nhint: Did you mean list-domains? `artifact-cli --help` lists the commands.\n",
    );
    const choice = await runCli(['list-domains', '--output', 'yaml']);
    expect(choice.stderr).toBe(
      "error Validation: Option '--output <format>' argument 'yaml' is invalid. Allowed choices are json, text, table.\nhint: Run with --help for the options and examples.\n",
    );
    for (const result of [typo, command, choice]) expect(result.code).toBe(2);
  });

  it('names a corrupt index file and exits 1, with the stack only under --debug', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'broken'], { root });
    const file = path.join(root, 'domains', 'broken', 'domain.json');
    writeFileSync(file, '{"name": "bro');
    const result = await runCli(['describe-domain', '--domain', 'broken'], { root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error Internal: The index file ${file} is not valid JSON.`);
    expect(result.stderr).toContain('hint: ');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');

    const debug = await runCli(['--debug', 'describe-domain', '--domain', 'broken'], { root });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  it('reports a bad config file as a validation error naming the setting', async () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir, '.artifact-clirc.json'), JSON.stringify({ server: { port: 'high' } }));
    writeFileSync(path.join(dir, 'package.json'), '{}');
    const result = await runCli(['list-domains'], { cwd: dir, root: makeTempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Setting server.port from');
  });

  it('refuses a group of the wrong type, a broken file and a bad variable with one line each', async () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir, 'package.json'), '{}');
    writeFileSync(path.join(dir, '.artifact-clirc.json'), JSON.stringify({ upstream: 'x' }));
    const wrongType = await runCli(['list-domains'], { cwd: dir, root: makeTempDir() });
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toMatch(/^error Validation: Setting upstream in \S+ must be an object .*\n$/);
    writeFileSync(path.join(dir, '.artifact-clirc.json'), '{\n  "offline": true,\n}\n');
    const broken = await runCli(['list-domains'], { cwd: dir, root: makeTempDir() });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error Validation: The config file \S+ is not valid JSON: line 3, column 1: .*\n$/);
    const variable = await runCli(['list-domains'], { root: makeTempDir(), env: { ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS: '0' } });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(
      /^error Validation: Setting upstream\.timeoutMs from \$ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS must be an integer from 1 to 2147483647; got "0"\.\n$/,
    );
  });

  it('names a --root that is a file or under one, for commands that read and that write, as serve does', async () => {
    // Before: "error Internal: Unexpected failure: ENOTDIR ..." with exit 1 and a hint to report a bug.
    const file = path.join(makeTempDir(), 'store');
    writeFileSync(file, 'not a directory');
    const reading = await runCli(['--root', file, 'list-domains']);
    expect(reading.code).toBe(2);
    expect(reading.stderr.split('\n')[0]).toBe(`error Validation: The store root ${file} is not a directory.`);
    const writing = await runCli(['--root', path.join(file, 'inside'), 'create-domain', '--domain', 'acme']);
    expect(writing.code).toBe(2);
    expect(writing.stderr.split('\n')[0]).toBe(`error Validation: The store root ${path.join(file, 'inside')} is under ${file}, which is not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('prints help with exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('create-repository|create-repo');
  });
});
