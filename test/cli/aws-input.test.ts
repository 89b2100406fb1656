/**
 * The AWS CLI's ways of giving a command its input, compared with the real `aws` where the
 * machine has it: JSON and shorthand for list and structure flags, --cli-input-json,
 * --generate-cli-skeleton and shortened option names. artifact-cli's reading is taken
 * in-process (the command line parsed, the command stopped before it runs); the built CLI is
 * run as well for the paths a user takes end to end.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyAwsInput, awsInputOf } from '../../src/cli/aws-input.js';
import { AWS_INPUTS } from '../../src/cli/aws-input-shapes.js';
import { findCommand } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/program.js';
import { expandOptionPrefixes } from '../../src/cli/option-prefixes.js';
import { ValidationError } from '../../src/errors.js';
import { awsParse, findAwsClis, unknownCommand } from '../helpers/aws-cli.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

type Reading = { input: Record<string, unknown> } | { skeleton: unknown };

/** How artifact-cli reads `artifact-cli <args>`: the call parameters, or the skeleton it prints. */
async function readArgs(args: string[]): Promise<Reading> {
  const program = await buildProgram();
  let reading: Reading | undefined;
  for (const command of program.commands) {
    command.exitOverride();
    command.action(async function (this: Command) {
      const options = this.opts();
      const skeleton = await applyAwsInput(this, options);
      reading = skeleton === undefined ? { input: awsInputOf(this, options) } : { skeleton: JSON.parse(skeleton) };
    });
  }
  const argv = ['node', 'artifact-cli', ...args];
  await program.parseAsync(expandOptionPrefixes(argv, program));
  if (!reading) throw new Error(`no command ran for ${args.join(' ')}`);
  return reading;
}

const ARN = 'arn:aws:codeartifact:us-east-1:000000000000:repository/d/r';
const PKG = ['--domain', 'd', '--repo', 'r', '--format', 'npm', '--package', 'p'];
const inputFile = path.join(makeTempDir(), 'input.json');
writeFileSync(
  inputFile,
  JSON.stringify({
    domain: 'd',
    repository: 'from-file',
    description: 'from the file',
    upstreams: [{ repositoryName: 'u' }],
    tags: [{ key: 'k', value: 'v' }],
  }),
);

// Command lines in the AWS docs' own style, read alike by both CLIs.
const SAME_READING: string[][] = [
  ['update-package-versions-status', ...PKG, '--versions', '["4.0.0", "5.0.0"]', '--target-status', 'Archived', '--version-revisions', '4.0.0=abc,5.0.0=d='],
  ['delete-package-versions', ...PKG, '--versions', '4.0.0', '5.0.0', '--expected-status', 'Published'],
  ['delete-package-versions', ...PKG, '--versions', '4.0.0,5.0.0'],
  ['dispose-package-versions', ...PKG, '--versions', '1.0', '--version-revisions', '{"1.0": "r1"}'],
  ['create-repository', '--domain', 'd', '--repo', 'r', '--upstreams', '[{"repositoryName":"a"}]', '--tags', '[{"key":"k","value":"v"}]'],
  [
    'create-repository',
    '--domain',
    'd',
    '--repo',
    'r',
    '--desc',
    'x y',
    '--upstreams',
    'repositoryName=a',
    'repositoryName=b',
    '--tags',
    'key=k,value=v',
    'key=k2,value=v2',
  ],
  ['create-repository', '--domain', 'd', '--repo', 'r', '--upstreams', '{"repositoryName":"solo"}'],
  ['update-repository', '--domain', 'd', '--repository', 'r', '--upstreams', '[]'],
  ['create-domain', '--domain', 'd', '--tags', '[{"key":"k","value":"v"}]', '--encryption-key', 'alias/x'],
  ['tag-resource', '--resource-arn', ARN, '--tags', 'key=a,value=1', 'key=b,value='],
  ['untag-resource', '--resource-arn', ARN, '--tag-keys', '["k1","k2"]'],
  ['untag-resource', '--resource-arn', ARN, '--tag-keys', 'k1', 'k2'],
  ['put-package-origin-configuration', ...PKG, '--restrictions', 'publish=ALLOW,upstream=BLOCK'],
  ['put-package-origin-configuration', ...PKG, '--restrictions', '{"publish":"BLOCK","upstream":"ALLOW"}'],
  [
    'copy-package-versions',
    '--domain',
    'd',
    '--source-repo',
    'a',
    '--destination-repo',
    'b',
    '--format',
    'npm',
    '--package',
    'p',
    '--versions',
    '1',
    '--allow-overwrite',
    '--no-include-from-upstream',
  ],
  ['get-authorization-token', '--domain', 'd', '--duration', '900'],
  ['list-repositories-in-domain', '--domain', 'd', '--repo', 'x', '--max-res', '5'],
  ['list-domains', '--max-results', '3', '--next-token', 'abc'],
  ['list-package-versions', ...PKG, '--status', 'Published', '--sort-by', 'PUBLISHED_TIME'],
  ['put-domain-permissions-policy', '--domain', 'd', '--policy-document', `file://${inputFile}`],
  [
    'create-repository',
    '--domain',
    'd',
    '--repository',
    'flag-wins',
    '--cli-input-json',
    '{"description":"from json","repository":"ignored","upstreams":[{"repositoryName":"u"}]}',
  ],
  ['create-repository', '--cli-input-json', `file://${inputFile}`, '--desc', 'the flag wins'],
  [
    'update-package-group-origin-configuration',
    '--domain',
    'd',
    '--package-group',
    '/npm/x/*',
    '--restrictions',
    'PUBLISH=BLOCK,EXTERNAL_UPSTREAM=ALLOW',
    '--add-allowed-repositories',
    'originRestrictionType=PUBLISH,repositoryName=r',
    'repositoryName=s,originRestrictionType=INTERNAL_UPSTREAM',
    '--remove-allowed-repositories',
    '[{"repositoryName":"t","originRestrictionType":"PUBLISH"}]',
  ],
  ['list-associated-packages', '--domain', 'd', '--package-group', '/x', '--preview'],
];

// Mistakes both CLIs refuse before anything is sent.
const BOTH_REFUSE: { args: string[]; ours: RegExp }[] = [
  { args: ['delete-package-versions', ...PKG, '--versions', '[4.0.0]'], ours: /^--versions holds invalid JSON/ },
  { args: ['create-repository', '--domain', 'd', '--repository', 'r', '--tags', '[{"key":"k"'], ours: /^--tags holds invalid JSON/ },
  { args: ['create-repository', '--domain', 'd', '--repository', 'r', '--upstreams', 'name'], ours: /^--upstreams expects key=value pairs/ },
  { args: ['describe-repository', '--dom', 'd', '--repository', 'r'], ours: /^Ambiguous option --dom: it could be --domain, --domain-owner\.$/ },
  { args: ['create-repository', '--domain', 'd', '--repository', 'r', '--cli-input-json', '{"description": '], ours: /^--cli-input-json holds invalid JSON/ },
];

const clis = findAwsClis();

describe.skipIf(clis.length === 0)('reading command lines as the AWS CLI does', () => {
  for (const cli of clis) {
    it(`reads each command line into the same call parameters as aws ${cli.version}`, async () => {
      const theirs = awsParse(
        cli,
        SAME_READING.map((args) => ['codeartifact', ...args]),
      );
      let compared = 0;
      for (const [index, args] of SAME_READING.entries()) {
        if (unknownCommand(theirs[index])) continue;
        expect(theirs[index].code, `aws ${args.join(' ')}: ${theirs[index].stderr}`).toBe(0);
        expect({ args, ...(await readArgs(args)) }).toEqual({ args, input: theirs[index].params });
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(SAME_READING.length - 3);
    });

    it(`refuses what aws ${cli.version} refuses, with a validation error that names the flag`, async () => {
      const theirs = awsParse(
        cli,
        BOTH_REFUSE.map(({ args }) => ['codeartifact', ...args]),
      );
      for (const [index, { args, ours }] of BOTH_REFUSE.entries()) {
        expect(theirs[index].code, `aws ${args.join(' ')}`).not.toBe(0);
        const error = await readArgs(args).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, args.join(' ')).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toMatch(ours);
      }
    });

    it(`prints the same --generate-cli-skeleton as aws ${cli.version} for every command both know`, async () => {
      const commands = Object.keys(AWS_INPUTS).filter((name) => name !== 'get-package-version-asset');
      // The 1.x on PATH is the one whose model (botocore) src/api/service-model.json was made from.
      const strict = cli.version.startsWith('1.');
      const theirs = awsParse(
        cli,
        commands.map((name) => ['codeartifact', name, '--generate-cli-skeleton']),
      );
      let compared = 0;
      for (const [index, name] of commands.entries()) {
        if (unknownCommand(theirs[index])) continue;
        const ours = (await readArgs([name, '--generate-cli-skeleton'])) as { skeleton: Record<string, unknown> };
        const skeleton = JSON.parse(theirs[index].stdout) as Record<string, unknown>;
        // An AWS CLI older than the model artifact-cli follows may lack members added since.
        const compare = strict ? ours.skeleton : Object.fromEntries(Object.entries(ours.skeleton).filter(([key]) => Object.hasOwn(skeleton, key)));
        expect({ name, skeleton: compare }).toEqual({ name, skeleton: enumsAsTheirs(skeleton, ours.skeleton) });
        compared++;
      }
      // Debian's 2.x predates package groups; the AWS CLI on PATH knows them all.
      expect(compared).toBeGreaterThanOrEqual(30);
    });
  }
});

/**
 * The AWS CLI fills an enum with a random one of its values; artifact-cli shows the first. Where
 * both hold a non-empty string, the test takes artifact-cli's; every other leaf must be equal.
 */
function enumsAsTheirs(theirs: unknown, ours: unknown): unknown {
  if (typeof theirs === 'string' && typeof ours === 'string' && theirs !== '' && ours !== '') return ours;
  if (Array.isArray(theirs)) return theirs.map((item, index) => enumsAsTheirs(item, Array.isArray(ours) ? ours[index] : undefined));
  if (theirs && typeof theirs === 'object') {
    return Object.fromEntries(Object.entries(theirs).map(([key, value]) => [key, enumsAsTheirs(value, (ours as Record<string, unknown> | undefined)?.[key])]));
  }
  return theirs;
}

describe('the aws executable itself', () => {
  const aws = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  const found = aws.status === 0;
  if (!found && process.env.CI === 'true') throw new Error('aws is not on PATH (.ci/run installs awscli).');

  it.skipIf(!found)('prints the same create-repository skeleton as `aws codeartifact create-repository --generate-cli-skeleton`', async () => {
    const theirs = spawnSync('aws', ['codeartifact', 'create-repository', '--generate-cli-skeleton'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    expect(theirs.status, theirs.stderr).toBe(0);
    const ours = await runCli(['create-repository', '--generate-cli-skeleton']);
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  });
});

describe('the model and the commands', () => {
  it('has a command for every operation, with a flag for every input member', async () => {
    const program = await buildProgram();
    for (const [name, members] of Object.entries(AWS_INPUTS)) {
      expect(findCommand(name), name).toBeDefined();
      const command = program.commands.find((candidate) => candidate.name() === name)!;
      const flags = command.options.map((option) => option.long);
      for (const member of members) expect(flags, `${name} ${member.flag}`).toContain(member.flag);
      expect(flags.includes('--cli-input-json'), name).toBe(name !== 'get-package-version-asset');
    }
  });

  it('gives a boolean member its --no- form, as the AWS CLI does', async () => {
    expect(await readArgs(['publish-package-version', '--domain', 'd', '--repository', 'r', '--no-unfinished'])).toEqual({
      input: { domain: 'd', repository: 'r', unfinished: false },
    });
    expect(await readArgs(['copy-package-versions', '--no-allow-overwrite'])).toEqual({ input: { allowOverwrite: false } });
  });

  it('shows an enum in the skeleton as its first value and a file content as null', async () => {
    expect(await readArgs(['publish-package-version', '--generate-cli-skeleton', 'input'])).toMatchObject({
      skeleton: { format: 'npm', assetContent: null, unfinished: true },
    });
  });
});

describe('bad input', () => {
  const refusals: [string, string[], RegExp][] = [
    ['a JSON list of numbers', ['delete-package-versions', ...PKG, '--versions', '[1, 2]'], /^--versions\[0\] must be a string; got 1\.$/],
    [
      'a structure with an unknown member',
      ['create-domain', '--domain', 'd', '--tags', 'key=k,vlue=x'],
      /^--tags\[0\] has an unknown member "vlue"; it takes key, value\.$/,
    ],
    [
      'a structure given a list',
      ['put-package-origin-configuration', ...PKG, '--restrictions', '{"publish": ["ALLOW"]}'],
      /^--restrictions\.publish must be a string/,
    ],
    ['a number that is none', ['list-domains', '--max-results', 'ten'], /^--max-results must be an integer from 1 to 1000; got "ten"\.$/],
    ['input JSON that is not an object', ['list-domains', '--cli-input-json', '[1]'], /^--cli-input-json must hold a JSON object/],
    [
      'input JSON with a member the operation lacks',
      ['list-domains', '--cli-input-json', '{"domain": "d"}'],
      /^--cli-input-json has an unknown parameter "domain"; list-domains takes maxResults, nextToken\.$/,
    ],
    [
      'input JSON with a wrong type',
      ['create-repository', '--cli-input-json', '{"upstreams": [{"repositoryName": 1}]}'],
      /^--cli-input-json: upstreams\[0\]\.repositoryName must be a string; got 1\.$/,
    ],
    [
      'input JSON from a file that is missing',
      ['list-domains', '--cli-input-json', 'file:///nonexistent/in.json'],
      /^Cannot read \/nonexistent\/in\.json for --cli-input-json: ENOENT\.$/,
    ],
    ['a skeleton of the output', ['list-domains', '--generate-cli-skeleton', 'output'], /^--generate-cli-skeleton output is not supported/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const error = await readArgs(args).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('the built CLI', () => {
  it('creates a repository from --cli-input-json file:// with a flag overriding it, and JSON list flags', async () => {
    const root = makeTempDir();
    const file = path.join(root, 'create-repository.json');
    writeFileSync(
      file,
      JSON.stringify({
        domain: 'dom',
        repository: 'from-file',
        description: 'from the file',
        upstreams: [{ repositoryName: 'up' }],
        tags: [{ key: 'k', value: 'v' }],
      }),
    );
    await runCliJson(['create-domain', '--domain', 'dom'], { root });
    await runCliJson(['create-repository', '--domain', 'dom', '--repository', 'up'], { root });
    const created = await runCliJson<{ repository: Record<string, unknown> }>(
      ['create-repository', '--cli-input-json', `file://${file}`, '--description', 'flag'],
      { root },
    );
    expect(created.repository).toMatchObject({ name: 'from-file', description: 'flag', upstreams: [{ repositoryName: 'up' }] });
    const tags = await runCliJson(['list-tags-for-resource', '--resource-arn', String(created.repository.arn)], { root });
    expect(tags).toEqual({ tags: [{ key: 'k', value: 'v' }] });
    const updated = await runCliJson<{ repository: Record<string, unknown> }>(
      ['update-repository', '--domain', 'dom', '--repo', 'from-file', '--upstreams', '[]'],
      { root },
    );
    expect(updated.repository.upstreams).toEqual([]);
  });

  it('prints the skeleton as JSON whatever --output says, and runs nothing', async () => {
    const root = makeTempDir();
    const result = await runCli(['create-repo', '--generate-cli-skeleton', '--output', 'text', '--domain', 'missing'], { root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      domain: '',
      domainOwner: '',
      repository: '',
      description: '',
      upstreams: [{ repositoryName: '' }],
      tags: [{ key: '', value: '' }],
    });
  });

  it('reports bad JSON in one line naming the flag, exit 2', async () => {
    const result = await runCli(['create-domain', '--domain', 'dom', '--tags', '[{"key":'], { root: makeTempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^error Validation: --tags holds invalid JSON: /);
  });
});
