import { describe, expect, it } from 'vitest';
import { checkUpstreamList, findUpstreamCycle, MAX_SEARCHED_REPOSITORIES, searchOrder } from '../../src/core/upstream-graph.js';
import { ValidationError } from '../../src/errors.js';

const lookupFrom = (graph: Record<string, string[]>) => (name: string) => graph[name] ?? [];

describe('searchOrder', () => {
  it('follows CodeArtifact: the repository, then upstreams depth first in list order', () => {
    // The worked example of the CodeArtifact user guide.
    const graph = { my_repo: ['A', 'B'], A: ['C', 'D'], D: ['E'] };
    expect(searchOrder('my_repo', lookupFrom(graph))).toEqual(['my_repo', 'A', 'C', 'D', 'E', 'B']);
  });

  it('visits a repository reachable twice only once', () => {
    const graph = { top: ['left', 'right'], left: ['shared'], right: ['shared'] };
    expect(searchOrder('top', lookupFrom(graph))).toEqual(['top', 'left', 'shared', 'right']);
  });

  it(`stops after ${MAX_SEARCHED_REPOSITORIES} repositories`, () => {
    // A chain of 40: r0 -> r1 -> ... -> r39.
    const graph: Record<string, string[]> = {};
    for (let i = 0; i < 39; i++) graph[`r${i}`] = [`r${i + 1}`];
    const order = searchOrder('r0', lookupFrom(graph));
    expect(order).toHaveLength(25);
    expect(order.at(-1)).toBe('r24');
  });

  it('terminates on a graph that already has a loop', () => {
    expect(searchOrder('a', lookupFrom({ a: ['b'], b: ['a'] }))).toEqual(['a', 'b']);
  });
});

describe('findUpstreamCycle', () => {
  it('returns the loop, first name repeated at the end', () => {
    const graph = { b: ['c'], c: ['a'] };
    expect(findUpstreamCycle('a', ['b'], lookupFrom(graph))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds no cycle in a diamond', () => {
    const graph = { b: ['d'], c: ['d'] };
    expect(findUpstreamCycle('a', ['b', 'c'], lookupFrom(graph))).toBeUndefined();
  });

  it('uses the proposed list for the repository itself, not its stored one', () => {
    // Stored: a -> b. Proposed: a has no upstreams, so b -> a is fine.
    const graph = { a: ['b'] };
    expect(findUpstreamCycle('b', ['a'], lookupFrom(graph))).toEqual(['b', 'a', 'b']);
    expect(findUpstreamCycle('a', [], lookupFrom({ b: ['a'] }))).toBeUndefined();
  });
});

describe('checkUpstreamList', () => {
  it('accepts up to 10 direct upstreams', () => {
    const names = Array.from({ length: 10 }, (_, i) => `u${i}`);
    expect(() => checkUpstreamList('repo', names, lookupFrom({}))).not.toThrow();
    expect(() => checkUpstreamList('repo', [...names, 'u10'], lookupFrom({}))).toThrow(/at most 10/);
  });

  it('refuses a repository as its own upstream, and duplicates', () => {
    expect(() => checkUpstreamList('repo', ['repo'], lookupFrom({}))).toThrow(/own upstream/);
    expect(() => checkUpstreamList('repo', ['x', 'x'], lookupFrom({}))).toThrow(/listed twice/);
  });

  it('names the loop in the message', () => {
    const check = () => checkUpstreamList('a', ['b'], lookupFrom({ b: ['c'], c: ['a'] }));
    expect(check).toThrow(ValidationError);
    expect(check).toThrow('a -> b -> c -> a');
  });
});
