/**
 * --output text and table against the AWS CLI's own formatters: the same JSON goes to awscli's
 * text and table code (test/fixtures/aws-cli-reference.py) and to artifact-cli's, and the output
 * must be the same, byte for byte, over many shapes, and after --query.
 */
import { describe, expect, it } from 'vitest';
import { renderResult } from '../../src/cli/output.js';
import { applyQuery } from '../../src/cli/query.js';
import { askAwsCli, findAwsCliPython } from '../helpers/aws-cli-reference.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const arn = (name: string) => `arn:aws:codeartifact:local:000000000000:repository/acme/${name}`;

const listRepositories = {
  repositories: [
    {
      name: 'app',
      administratorAccount: '000000000000',
      domainName: 'acme',
      domainOwner: '000000000000',
      arn: arn('app'),
      description: 'the app',
      createdTime: '2026-01-01T00:00:00+00:00',
    },
    {
      name: 'npm-store',
      administratorAccount: '000000000000',
      domainName: 'acme',
      domainOwner: '000000000000',
      arn: arn('npm-store'),
      createdTime: '2026-01-02T00:00:00+00:00',
    },
  ],
  nextToken: 'next-page',
};

const describeRepository = {
  repository: {
    name: 'app',
    domainName: 'acme',
    description: '',
    upstreams: [{ repositoryName: 'team' }, { repositoryName: 'npm-store' }],
    externalConnections: [],
    arn: arn('app'),
  },
};

const versions = {
  format: 'npm',
  namespace: 'acme',
  package: 'util',
  versions: [
    { version: '1.0.0', revision: 'r1', status: 'Published', origin: { domainEntryPoint: { repositoryName: 'app' }, originType: 'INTERNAL' } },
    {
      version: '2.0.0-beta.1',
      revision: 'r2',
      status: 'Unlisted',
      origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' },
    },
    { version: '0.1.0', status: 'Archived' },
  ],
  defaultDisplayVersion: null,
};

/** The shapes the formatters must agree on; each also runs through the queries below. */
const SHAPES: unknown[] = [
  listRepositories,
  describeRepository,
  versions,
  { repositories: [] },
  { repositories: [], nextToken: 'x' },
  {},
  [],
  'a-token-value',
  42,
  -3.5,
  1e-7,
  0.1,
  123456789012,
  true,
  false,
  null,
  '',
  ['a', 'b', 'c'],
  [1, 'two', null, true],
  [
    ['a', 'b'],
    ['c', 'd', 'e'],
  ],
  [['a', ['nested', 'deeper']], 'loose'],
  [{ b: 1, a: 2 }, { a: 3, c: 4 }, { d: null }],
  [{ name: 'x', tags: ['t1', 't2'] }, { name: 'y', tags: [] }, { name: 'z' }],
  [
    { name: 'x', info: { size: 1, kind: 'k' } },
    { name: 'y', info: 'scalar here' },
  ],
  { zeta: 1, alpha: 'first', mid: true, list: [1, 2], obj: { inner: 'v', more: { deep: [{ k: 1 }, { k: 2, extra: 'e' }] } } },
  { only: 'one scalar', children: [{ a: 1 }, { a: 2 }] },
  { single: { key: 'value' } },
  { emptyObject: {}, emptyList: [], zero: 0, blank: '', nothing: null },
  { policy: { document: '{"Version":"2012-10-17","Statement":[]}', revision: 'rev-1', resourceArn: arn('app') } },
  { assets: [{ name: 'lodash-4.17.21.tgz', size: 54000, hashes: { 'SHA-256': 'a'.repeat(64), 'SHA-512': 'b'.repeat(128), MD5: 'c'.repeat(32) } }] },
  {
    wide: [
      { name: '漢字の名前', note: 'ｆｕｌｌｗｉｄｔｈ' },
      { name: 'ascii', note: 'plain' },
    ],
  },
  { quoting: [{ text: "it's", other: 'say "hi"', tab: 'a\tb' }, { text: { obj: "it's" } }] },
  { numbers: [{ n: 1 }, { n: 2.5 }, { n: 1e21 }, { n: -0.0001 }, { n: 0.00001 }, { n: 1e16 + 2 }] },
  { bools: [{ flag: true }, { flag: false }, { flag: null }] },
  { longValues: [{ arn: `${arn('a-very-long-repository-name-that-goes-on')}/and/on/and/on/forever`, name: 'long', description: 'x'.repeat(90) }] },
];

const QUERIES: [unknown, string][] = [
  [listRepositories, 'repositories[].name'],
  [listRepositories, 'repositories[].[name, description]'],
  [listRepositories, 'repositories[].{Name: name, Description: description}'],
  [listRepositories, "repositories[?starts_with(name, 'n')]"],
  [listRepositories, 'repositories[0]'],
  [listRepositories, 'length(repositories)'],
  [listRepositories, 'repositories[?name == `nothing`]'],
  [describeRepository, 'repository.upstreams'],
  [describeRepository, 'repository.upstreams[].repositoryName'],
  [versions, 'versions[].origin'],
  [versions, 'versions[?status == `Published`].version | [0]'],
  [versions, 'versions[].[version, status, origin.originType]'],
  [versions, 'missing'],
];

const awsCliPython = findAwsCliPython();

describe.skipIf(!awsCliPython)("output matches the AWS CLI's formatters", () => {
  it('--output text, for every shape and every query result', async () => {
    const values = [...SHAPES, ...(await Promise.all(QUERIES.map(([data, query]) => applyQuery(data, query))))];
    const reference = askAwsCli(awsCliPython!, { text: values });
    const differences = values.flatMap((value, index) => {
      const ours = renderResult(value, 'text');
      return ours === reference.text[index] ? [] : [`${JSON.stringify(value).slice(0, 120)}\n--- AWS CLI\n${reference.text[index]}--- artifact-cli\n${ours}`];
    });
    expect(differences).toEqual([]);
  });

  it('--output table, at 80, 40 and 200 columns, for every shape and every query result', async () => {
    const values = [...SHAPES, ...(await Promise.all(QUERIES.map(([data, query]) => applyQuery(data, query))))];
    const cases = [80, 40, 200].flatMap((width) => values.map((data) => ({ title: 'ListRepositories', data, width })));
    const reference = askAwsCli(awsCliPython!, { table: cases });
    let compared = 0;
    const differences = cases.flatMap((testCase, index) => {
      const ours = renderResult(testCase.data, 'table', { title: testCase.title, width: testCase.width });
      // Where the AWS CLI fails (rows of different lengths), artifact-cli still prints every row.
      if (reference.table[index] === null) return ours.includes('ListRepositories') ? [] : [`no table for ${JSON.stringify(testCase.data)}`];
      compared += 1;
      return ours === reference.table[index]
        ? []
        : [`${JSON.stringify(testCase.data).slice(0, 120)} at ${testCase.width}\n--- AWS CLI\n${reference.table[index]}--- artifact-cli\n${ours}`];
    });
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(cases.length * 0.9);
  });
});

describe('text and table from the command line', () => {
  it('puts a missing description in an empty column, so cut -f finds the same field in every row', async () => {
    const root = makeTempDir('output-root-');
    const cli = (args: string[]) => runCli(args, { root });
    expect((await cli(['create-domain', '--domain', 'acme'])).code).toBe(0);
    expect((await cli(['create-repository', '--domain', 'acme', '--repository', 'with-text', '--description', 'described'])).code).toBe(0);
    expect((await cli(['create-repository', '--domain', 'acme', '--repository', 'bare'])).code).toBe(0);
    const result = await cli(['list-repositories', '--output', 'text']);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.every((row) => row[0] === 'REPOSITORIES')).toBe(true);
    // Every row has the same columns, in key order, whatever fields it has.
    expect(new Set(rows.map((row) => row.length)).size).toBe(1);
    const json = JSON.parse((await cli(['list-repositories', '--output', 'json'])).stdout) as { repositories: Record<string, unknown>[] };
    const keys = [...new Set(json.repositories.flatMap((repository) => Object.keys(repository)))].sort();
    const descriptionColumn = 1 + keys.indexOf('description');
    const byName = new Map(rows.map((row) => [row[1 + keys.indexOf('name')], row]));
    expect(byName.get('with-text')?.[descriptionColumn]).toBe('described');
    expect(byName.get('bare')?.[descriptionColumn]).toBe('');
  });

  it('titles the table with the operation and shows nested lists as sub-tables, not JSON', async () => {
    const root = makeTempDir('output-root-');
    const cli = (args: string[]) => runCli(args, { root });
    expect((await cli(['create-domain', '--domain', 'acme'])).code).toBe(0);
    expect((await cli(['create-repository', '--domain', 'acme', '--repository', 'team'])).code).toBe(0);
    expect((await cli(['create-repository', '--domain', 'acme', '--repository', 'app', '--upstreams', 'repositoryName=team'])).code).toBe(0);
    const result = await cli(['describe-repository', '--domain', 'acme', '--repository', 'app', '--output', 'table']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(/^\|\s+DescribeRepository\s+\|$/);
    expect(result.stdout).toMatch(/\|\|\s+upstreams\s+\|\|/);
    expect(result.stdout).toMatch(/\|\|\s+repositoryName\s+\|\s+team\s+\|\|/);
    expect(result.stdout).not.toContain('{"');
  });
});
