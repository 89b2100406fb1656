import { describe, expect, it } from 'vitest';
import { parseShorthandObject, parseTags, parseUpstreams } from '../../src/cli/shorthand.js';
import { ValidationError } from '../../src/errors.js';

describe('parseShorthandObject', () => {
  it('splits key=value pairs and keeps "=" inside values', () => {
    expect(parseShorthandObject('key=k,value=a=b', '--tags')).toEqual({ key: 'k', value: 'a=b' });
  });

  it.each(['novalue', '=x', 'a=1,b'])('refuses %j and names the flag', (text) => {
    expect(() => parseShorthandObject(text, '--tags')).toThrow(/--tags/);
  });
});

describe('parseUpstreams', () => {
  it('reads the AWS CLI shorthand, one entry per value', () => {
    expect(parseUpstreams(['repositoryName=a', 'repositoryName=b'])).toEqual(['a', 'b']);
  });

  it('reads the JSON form', () => {
    expect(parseUpstreams(['[{"repositoryName":"a"},{"repositoryName":"b"}]'])).toEqual(['a', 'b']);
    expect(parseUpstreams(['{"repositoryName":"solo"}'])).toEqual(['solo']);
  });

  it('treats an empty string as "no upstreams" and a missing flag as "unchanged"', () => {
    expect(parseUpstreams([''])).toEqual([]);
    expect(parseUpstreams(undefined)).toBeUndefined();
  });

  it('refuses entries without repositoryName and JSON that does not parse', () => {
    expect(() => parseUpstreams(['name=a'])).toThrow(/repositoryName=NAME/);
    expect(() => parseUpstreams(['[{"repositoryName":'])).toThrow(ValidationError);
    expect(() => parseUpstreams(['[{"repositoryName": 3}]'])).toThrow(ValidationError);
  });
});

describe('parseTags', () => {
  it('reads shorthand and JSON', () => {
    expect(parseTags(['key=team,value=web', 'key=env,value='])).toEqual([
      { key: 'team', value: 'web' },
      { key: 'env', value: '' },
    ]);
    expect(parseTags(['[{"key":"a","value":"b"}]'])).toEqual([{ key: 'a', value: 'b' }]);
    expect(parseTags(undefined)).toBeUndefined();
  });

  it('refuses a tag without a key or value', () => {
    expect(() => parseTags(['key=a'])).toThrow(/key=KEY,value=VALUE/);
    expect(() => parseTags(['[{"value":"b"}]'])).toThrow(ValidationError);
  });
});
