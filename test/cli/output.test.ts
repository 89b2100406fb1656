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

  it('prints text the AWS CLI way: a label and tab-separated scalars per object', () => {
    expect(renderResult(listResult, 'text')).toBe('abc\nREPOSITORIES\talpha\tdom\tfirst\nREPOSITORIES\tbeta-longer-name\tdom\n');
    expect(renderResult(['a', 'b'], 'text')).toBe('a\tb\n');
  });

  it('prints lists of objects as an aligned table', () => {
    const lines = renderResult(listResult, 'table').split('\n');
    expect(lines[0]).toBe('repositories');
    expect(lines[1]).toMatch(/^name\s+domainName\s+description$/);
    expect(lines[2]).toMatch(/^-+\s+-+\s+-+$/);
    expect(lines[3]).toMatch(/^alpha\s+dom\s+first$/);
    expect(lines[4]).toMatch(/^beta-longer-name\s+dom$/);
    // Columns line up: every row starts its second column at the same offset.
    expect(lines[1].indexOf('domainName')).toBe(lines[3].indexOf('dom'));
    expect(lines).toContain('nextToken: abc');
  });

  it('prints a single object as field/value rows and an empty list as (none)', () => {
    const text = renderResult({ domain: { name: 'd', repositoryCount: 0 }, items: [] }, 'table');
    expect(text).toMatch(/^domain\nfield\s+value\n-+\s+-+\nname\s+d\nrepositoryCount\s+0\n/);
    expect(text).toContain('items\n(none)');
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
