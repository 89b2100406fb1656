import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { paginate } from '../../src/operations/pagination.js';

const names = Array.from({ length: 7 }, (_, i) => `item-${i}`);
const identity = (name: string) => name;

describe('paginate', () => {
  it('returns everything, with no token, when it fits', () => {
    expect(paginate(names, identity, {})).toEqual({ items: names, nextToken: undefined });
    expect(paginate(names, identity, { maxResults: 7 })).toEqual({ items: names, nextToken: undefined });
  });

  it('walks all pages with the returned tokens', () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = paginate(names, identity, { maxResults: 3, nextToken });
      seen.push(...page.items);
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it('stays right when items are added or removed between pages', () => {
    const first = paginate(names, identity, { maxResults: 3 });
    const changed = ['item-0', 'item-1a', ...names.slice(3)].sort();
    const second = paginate(changed, identity, { maxResults: 3, nextToken: first.nextToken });
    expect(second.items).toEqual(['item-3', 'item-4', 'item-5']);
  });

  it('returns an empty page after the last item', () => {
    const token = paginate(names, identity, { maxResults: 6 }).nextToken;
    expect(paginate(names.slice(0, 6), identity, { nextToken: token })).toEqual({ items: [], nextToken: undefined });
  });

  it.each([0, -1, 1001, 2.5, Number.NaN])('refuses maxResults %s', (maxResults) => {
    expect(() => paginate(names, identity, { maxResults })).toThrow(ValidationError);
  });

  it.each(['garbage', '', Buffer.from('{"after": 3}').toString('base64url')])('refuses the token %j', (nextToken) => {
    expect(() => paginate(names, identity, { nextToken })).toThrow(/--next-token/);
  });
});
