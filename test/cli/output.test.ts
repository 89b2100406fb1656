import { describe, expect, it } from 'vitest';
import { chooseOutputFormat, renderResult } from '../../src/cli/output.js';
import { applyQuery } from '../../src/cli/query.js';
import { ValidationError } from '../../src/errors.js';

const listResult = {
  repositories: [
    { name: 'alpha', domainName: 'dom', description: 'first' },
    { name: 'beta-longer-name', domainName: 'dom' },
  ],
  nextToken: 'abc',
};

describe('chooseOutputFormat', () => {
  it('defaults to table on a terminal and json on a pipe', () => {
    expect(chooseOutputFormat(undefined, true)).toBe('table');
    expect(chooseOutputFormat(undefined, false)).toBe('json');
  });

  it('honours an explicit choice and refuses unknown ones', () => {
    expect(chooseOutputFormat('text', true)).toBe('text');
    expect(chooseOutputFormat('json', true)).toBe('json');
    expect(() => chooseOutputFormat('yaml', false)).toThrow(ValidationError);
  });
});

describe('renderResult', () => {
  it('prints json with the API field names, indented like the AWS CLI', () => {
    expect(renderResult({ domain: { name: 'd' } }, 'json')).toBe('{\n    "domain": {\n        "name": "d"\n    }\n}\n');
  });

  it('prints a bare scalar in text, so scripts can capture it', () => {
    expect(renderResult('tok-123', 'text')).toBe('tok-123\n');
    expect(renderResult(42, 'text')).toBe('42\n');
    expect(renderResult(null, 'text')).toBe('None\n');
  });

  it('prints text the AWS CLI way: sorted columns, an empty one for a missing key, nothing for an empty list', () => {
    // description, domainName, name: key order; beta has no description, so its column is empty.
    expect(renderResult(listResult, 'text')).toBe('abc\nREPOSITORIES\tfirst\tdom\talpha\nREPOSITORIES\t\tdom\tbeta-longer-name\n');
    expect(renderResult({ repositories: [] }, 'text')).toBe('');
    expect(renderResult(['a', 'b'], 'text')).toBe('a\tb\n');
    expect(renderResult({ flag: true, none: null }, 'text')).toBe('True\tNone\n');
  });

  it('prints a table in the AWS CLI layout, titled with the operation, nested values as sub-tables', () => {
    const text = renderResult({ repository: { name: 'app', upstreams: [{ repositoryName: 'team' }] } }, 'table', { title: 'DescribeRepository', width: 80 });
    expect(text).toBe(
      [
        '------------------------',
        '|  DescribeRepository  |',
        '+----------------------+',
        '||     repository     ||',
        '|+----------+---------+|',
        '||  name    |  app    ||',
        '|+----------+---------+|',
        '|||     upstreams    |||',
        '||+------------------+||',
        '|||  repositoryName  |||',
        '||+------------------+||',
        '|||  team            |||',
        '||+------------------+||',
        '',
      ].join('\n'),
    );
    expect(renderResult([], 'table', { title: 'ListItems' })).toBe('');
  });

  it('prints nothing for commands without a result', () => {
    expect(renderResult(undefined, 'json')).toBe('');
  });
});

describe('applyQuery', () => {
  it('applies a JMESPath expression', async () => {
    expect(await applyQuery(listResult, 'repositories[].name')).toEqual(['alpha', 'beta-longer-name']);
    expect(await applyQuery({ authorizationToken: 't', expiration: 'x' }, 'authorizationToken')).toBe('t');
    expect(await applyQuery(listResult, "repositories[?name=='alpha'] | [0].description")).toBe('first');
  });

  it('returns the result unchanged without a query', async () => {
    expect(await applyQuery(listResult, undefined)).toBe(listResult);
  });

  it('turns a bad expression into a ValidationError that quotes it', async () => {
    await expect(applyQuery(listResult, 'repositories[')).rejects.toThrow(ValidationError);
    await expect(applyQuery(listResult, 'repositories[')).rejects.toThrow('"repositories["');
  });
});
