/**
 * --query: the JMESPath compliance suite (vendored, see test/fixtures/jmespath-compliance), then
 * the same answers as the AWS CLI's own `jmespath` module on results shaped like artifact-cli's,
 * then the CLI end to end, where `jmespath` 0.16 answered `starts_with` wrongly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyQuery } from '../../src/cli/query.js';
import { ValidationError } from '../../src/errors.js';
import { askAwsCli, findAwsCliPython } from '../helpers/aws-cli-reference.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

const COMPLIANCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jmespath-compliance');

interface ComplianceGroup {
  given: unknown;
  cases: { expression: string; result?: unknown; error?: string }[];
}

/** Runs a query and says what it gave, or that it was refused. */
async function outcome(data: unknown, expression: string): Promise<{ result: unknown } | { error: true }> {
  try {
    return { result: await applyQuery(data, expression) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { error: true };
  }
}

describe('the JMESPath compliance suite', () => {
  const files = readdirSync(COMPLIANCE_DIR).filter((name) => name.endsWith('.json'));

  it('has the suite to run', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    it(`passes ${file}`, async () => {
      const groups = JSON.parse(readFileSync(path.join(COMPLIANCE_DIR, file), 'utf8')) as ComplianceGroup[];
      const failures: string[] = [];
      let cases = 0;
      for (const group of groups) {
        for (const testCase of group.cases) {
          cases += 1;
          const got = await outcome(group.given, testCase.expression);
          const expected = testCase.error !== undefined ? { error: true } : { result: testCase.result };
          try {
            expect(got).toEqual(expected);
          } catch {
            failures.push(`${testCase.expression}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
          }
        }
      }
      expect(cases).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }
});

const repositories = {
  repositories: [
    {
      name: 'app',
      domainName: 'acme',
      domainOwner: '000000000000',
      arn: 'arn:aws:codeartifact:local:000000000000:repository/acme/app',
      description: 'the app',
    },
    { name: 'pypi-store', domainName: 'acme', domainOwner: '000000000000', arn: 'arn:aws:codeartifact:local:000000000000:repository/acme/pypi-store' },
    {
      name: 'npm-store',
      domainName: 'acme',
      domainOwner: '000000000000',
      arn: 'arn:aws:codeartifact:local:000000000000:repository/acme/npm-store',
      description: '',
    },
    { name: 'pp', domainName: 'other', domainOwner: '000000000000', arn: 'arn:aws:codeartifact:local:000000000000:repository/other/pp' },
  ],
};

const versions = {
  format: 'npm',
  package: 'lodash',
  versions: [
    {
      version: '4.17.21',
      revision: 'r1',
      status: 'Published',
      origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' },
      size: 540000,
    },
    { version: '4.17.20', revision: 'r2', status: 'Unlisted', origin: { domainEntryPoint: { repositoryName: 'app' }, originType: 'INTERNAL' }, size: 1.5 },
    { version: '3.0.0', revision: 'r3', status: 'Archived', origin: null, size: 0, tags: ['old', 'legacy'] },
    { version: '10.0.0-beta.1', revision: 'r4', status: 'Published', size: -2, tags: [] },
  ],
  counts: [3, 1, 4, 1, 5, 9, 2.5, -7],
  words: ['pear', 'apple', 'Zebra', 'éclair', 'apple'],
  flags: { anonymous: true, offline: false, nothing: null },
};

/** Expressions covering every function and construct, on results shaped like artifact-cli's. */
const QUERIES: { data: unknown; expressions: string[] }[] = [
  {
    data: repositories,
    expressions: [
      "repositories[?starts_with(name,'p')].name",
      "repositories[?starts_with(name, 'pp')].name",
      "repositories[?ends_with(name,'store')].name",
      "repositories[?ends_with(name, 'p')].name",
      "repositories[?contains(name,'-')].name",
      "repositories[?contains(arn, 'other')] | [0].name",
      'repositories[].name',
      'repositories[*].[name, description]',
      'repositories[].{n: name, d: description}',
      'repositories[?description].name',
      '!repositories[?description]',
      'repositories[?!description].name',
      "repositories[?description == ''].name",
      "repositories[?domainName == 'acme' && name != 'app'].name",
      "repositories[?domainName == 'other' || name == 'app'].name",
      'length(repositories)',
      'repositories[0]',
      'repositories[-1].name',
      'repositories[1:3].name',
      'repositories[::-1].name',
      'repositories[::2].name',
      'repositories[5]',
      'repositories[].name | sort(@)',
      'repositories[].name | reverse(@)',
      'sort_by(repositories, &name)[].name',
      'max_by(repositories, &name).name',
      'min_by(repositories, &name).name',
      'join(`,`, repositories[].name)',
      "join(', ', repositories[].domainName)",
      'repositories[].name | [?length(@) > `3`]',
      'map(&length(name), repositories)',
      'keys(repositories[0])',
      'values(repositories[3])',
      'repositories[0].missing.deeper',
      'repositories[].missing',
      'repositories[*].description',
      'to_array(repositories[0].name)',
      'not_null(repositories[1].description, repositories[0].description)',
      'type(repositories)',
      'repositories | length(@)',
      'repositories[?domainName==`"acme"`] | length(@)',
      "merge(repositories[0], {name: 'changed'}).name",
      '*.length(@)',
      'repositories[].[name][]',
      'repositories[].domainName | [0]',
      '{count: length(repositories), first: repositories[0].name}',
      'repositories[',
      'nofunction(repositories)',
      'length(repositories, repositories)',
    ],
  },
  {
    data: versions,
    expressions: [
      'versions[?status==`Published`].version',
      "versions[?status=='Published'].version",
      'versions[?size > `1000`].version',
      'versions[?size >= `0`].version',
      'versions[?size < `1`].version',
      'versions[?size <= `0`].version',
      'versions[?origin.originType == `EXTERNAL`].version',
      'versions[].origin.domainEntryPoint.repositoryName',
      'versions[].origin.domainEntryPoint',
      'versions[*].tags',
      'versions[].tags[]',
      'versions[?tags].version',
      'versions[?length(tags || `[]`) > `0`].version',
      'versions[?contains(tags || `[]`, `old`)].version',
      'sum(versions[].size)',
      'avg(versions[].size)',
      'max(versions[].size)',
      'min(versions[].size)',
      'sum(counts)',
      'avg(counts)',
      'max(counts)',
      'min(counts)',
      'sort(counts)',
      'abs(counts[-1])',
      'ceil(counts[6])',
      'floor(counts[6])',
      'to_string(counts[6])',
      'to_number(`"42"`)',
      "to_number('nope')",
      'to_number(versions[0].version)',
      'to_string(versions[0])',
      'sort(words)',
      'reverse(words)',
      'max(words)',
      'min(words)',
      'length(words[3])',
      'sort_by(versions, &size)[].version',
      'sort_by(versions, &version)[].version',
      'max_by(versions, &size).version',
      'min_by(versions, &size).version',
      'flags',
      'flags.anonymous',
      'flags.offline || `"fallback"`',
      'flags.nothing || flags.offline',
      'flags.anonymous && flags.offline',
      '!flags.offline',
      'flags.*',
      'keys(flags)',
      'type(flags.nothing)',
      'type(counts[6])',
      'versions[0].[version, status, size]',
      'versions[].[version, origin.originType]',
      'versions[?version == `"3.0.0"`] | [0].revision',
      '`[1, 2, {"a": null}]`',
      "'raw string'",
      '@.format',
      'package',
      'versions[1:].revision | join(`-`, @)',
      'versions[?starts_with(version, `"4."`)].version',
      'versions[?ends_with(version, `"1"`)].version',
      'counts[?@ > `2`]',
      'counts[:3]',
      'counts[-2:]',
      'counts[10:20]',
      'words[?@ == `"apple"`]',
      'length(versions[?status != `Published`])',
      'versions[?origin].version',
      'versions[?origin == `null`].version',
      'sort(words[])',
      'sort(counts[].to_string(@))',
      'versions | [?size > `0`] | [].version',
      'versions[].size | sort(@) | [-1]',
      'sort(versions)',
      'sum(words)',
      'length(`5`)',
      "'it''s'",
      "'back\\\\slash'",
      "'quote \\' inside'",
      '`  padded`',
      '`"json \\` tick"`',
      '`not closed',
      "'not closed",
      "versions[?status == `Unlisted` || status == 'Archived'].version",
      '"quoted identifier with `tick`"',
    ],
  },
];

const awsCliPython = findAwsCliPython();

describe.skipIf(!awsCliPython)("the AWS CLI's jmespath module gives the same answers", () => {
  it('for every expression on results shaped like artifact-cli output', async () => {
    const cases = QUERIES.flatMap(({ data, expressions }) => expressions.map((expression) => ({ data, expression })));
    const reference = askAwsCli(awsCliPython!, { queries: cases });
    console.info(`compared ${cases.length} queries with python jmespath ${reference.versions.jmespath}`);
    const differences: string[] = [];
    for (const [index, testCase] of cases.entries()) {
      const expected = reference.queries[index];
      const got = await outcome(testCase.data, testCase.expression);
      const same = 'error' in expected ? 'error' in got : 'result' in got && JSON.stringify(got.result) === JSON.stringify(expected.result);
      if (!same) differences.push(`${testCase.expression}: artifact-cli ${JSON.stringify(got)}, AWS CLI ${JSON.stringify(expected)}`);
    }
    expect(differences).toEqual([]);
  });
});

describe('--query from the command line', () => {
  it("finds every repository whose name starts with 'p' (jmespath 0.16 missed pypi-store)", async () => {
    const root = makeTempDir('query-root-');
    const cli = (args: string[]) => runCli(args, { root });
    expect((await cli(['create-domain', '--domain', 'acme'])).code).toBe(0);
    for (const name of ['app', 'pypi-store', 'pp', 'npm-store']) {
      expect((await cli(['create-repository', '--domain', 'acme', '--repository', name])).code).toBe(0);
    }
    const result = await cli(['list-repositories', '--query', "repositories[?starts_with(name,'p')].name", '--output', 'json']);
    expect(result.code).toBe(0);
    expect(parseJson<string[]>(result.stdout).sort()).toEqual(['pp', 'pypi-store']);
  });

  it('refuses a broken expression with one line and a non-zero exit', async () => {
    const root = makeTempDir('query-root-');
    const result = await runCli(['list-domains', '--query', 'domains[', '--output', 'json'], { root });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/^error \w+: --query "domains\[" is not a valid JMESPath expression: .+$/);
  });

  it('checks the expression before the command runs, as the AWS CLI does: a typo changes nothing', async () => {
    // Before, create-domain made the domain, then exited 2 on the expression, and a retry met a Conflict.
    const root = makeTempDir('query-root-');
    const broken = await runCli(['create-domain', '--domain', 'acme', '--query', 'domain.[['], { root });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error Validation: --query "domain\.\[\[" is not a valid JMESPath expression: /);
    const listed = await runCli(['list-domains', '--query', 'domains[].name', '--output', 'json'], { root });
    expect(parseJson<string[]>(listed.stdout)).toEqual([]);
  });

  it('refuses an empty --query, as the AWS CLI does, instead of printing the whole result', async () => {
    const root = makeTempDir('query-root-');
    const result = await runCli(['create-domain', '--domain', 'acme', '--query', ''], { root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error Validation: --query "" is not a valid JMESPath expression: it is empty.\n');
    const listed = await runCli(['list-domains', '--query', 'domains[].name', '--output', 'json'], { root });
    expect(parseJson<string[]>(listed.stdout)).toEqual([]);
  });
});
