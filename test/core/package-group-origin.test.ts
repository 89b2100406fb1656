import { describe, expect, it } from 'vitest';
import type { PackageFormat } from '../../src/core/model.js';
import {
  checkGroupEntry,
  newGroupRecord,
  PackageGroupSet,
  type GroupRestrictionMode,
  type OriginRestrictionType,
  type PackageGroupRecord,
} from '../../src/core/package-group-origin.js';

const CREATED = '2024-03-21T00:00:00.000Z';

function group(
  pattern: string,
  restrictions: Partial<Record<OriginRestrictionType, GroupRestrictionMode>> = {},
  allowed: Partial<Record<OriginRestrictionType, string[]>> = {},
): PackageGroupRecord {
  const record = newGroupRecord(pattern, CREATED);
  Object.assign(record.restrictions, restrictions);
  Object.assign(record.allowedRepositories, allowed);
  return record;
}

function pkg(path: string): { format: PackageFormat; namespace?: string; name: string } {
  const [, format, namespace, name] = path.split('/');
  return { format: format as PackageFormat, ...(namespace ? { namespace } : {}), name };
}

const groups = new PackageGroupSet(
  {
    groups: [
      group('/npm/*', { PUBLISH: 'BLOCK' }),
      group('/npm/space/*', { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES', EXTERNAL_UPSTREAM: 'BLOCK' }, { PUBLISH: ['internal'] }),
      group('/npm/space/ui~'),
      group('/npm/space/ui-kit$', { INTERNAL_UPSTREAM: 'BLOCK' }),
      group('/npm//lodash$', { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' }, { EXTERNAL_UPSTREAM: ['npm-store'] }),
      group('/maven/com.acme~', { PUBLISH: 'ALLOW' }),
    ],
  },
  CREATED,
);

describe('PackageGroupSet', () => {
  it.each([
    ['/npm/*', '/*'],
    ['/npm/space/*', '/npm/*'],
    ['/npm/space/ui~', '/npm/space/*'],
    ['/npm/space/ui-kit$', '/npm/space/ui~'],
    ['/npm//lodash$', '/npm/*'],
    ['/maven/com.acme~', '/*'],
    ['/*', undefined],
  ])('the parent of %s is %s', (pattern, parent) => {
    expect(groups.parentOf(groups.find(pattern)!)?.record.pattern).toBe(parent);
  });

  it('lists direct children only', () => {
    expect(
      groups
        .childrenOf(groups.find('/npm/*')!)
        .map((child) => child.record.pattern)
        .sort(),
    ).toEqual(['/npm//lodash$', '/npm/space/*']);
  });

  it.each([
    ['/npm/space/ui-kit', '/npm/space/ui-kit$', 'STRONG'],
    ['/npm/space/ui-button', '/npm/space/ui~', 'STRONG'],
    ['/npm/space/utils', '/npm/space/*', 'STRONG'],
    ['/npm//react', '/npm/*', 'STRONG'],
    ['/pypi//requests', '/*', 'STRONG'],
    ['/maven/com.acme.tools/cli', '/maven/com.acme~', 'STRONG'],
    // A variant of the most specific pattern is a WEAK association, even where a less specific group matches strongly.
    ['/npm/space/UI-Kit', '/npm/space/ui-kit$', 'WEAK'],
    ['/npm/space/ui_kit', '/npm/space/ui-kit$', 'WEAK'],
    ['/npm//1odash', '/npm//lodash$', 'WEAK'],
    ['/maven/com-acme/cli', '/maven/com.acme~', 'WEAK'],
  ])('associates %s with %s (%s)', (path, pattern, type) => {
    const { group: found, associationType } = groups.associate(pkg(path));
    expect([found.record.pattern, associationType]).toEqual([pattern, type]);
  });

  it('prefers a STRONG match to a WEAK one of the same specificity', () => {
    const cased = new PackageGroupSet({ groups: [group('/npm//Foo$'), group('/npm//foo$')] }, CREATED);
    expect(cased.associate(pkg('/npm//foo'))).toMatchObject({ group: { record: { pattern: '/npm//foo$' } }, associationType: 'STRONG' });
    expect(cased.associate(pkg('/npm//Foo'))).toMatchObject({ group: { record: { pattern: '/npm//Foo$' } }, associationType: 'STRONG' });
    expect(cased.associate(pkg('/npm//FOO')).associationType).toBe('WEAK');
  });

  it.each([
    // group, restriction, mode, effectiveMode, inherited from
    ['/npm/space/ui-kit$', 'PUBLISH', 'INHERIT', 'ALLOW_SPECIFIC_REPOSITORIES', '/npm/space/*'],
    ['/npm/space/ui-kit$', 'EXTERNAL_UPSTREAM', 'INHERIT', 'BLOCK', '/npm/space/*'],
    ['/npm/space/ui-kit$', 'INTERNAL_UPSTREAM', 'BLOCK', 'BLOCK', '/npm/space/ui-kit$'],
    ['/npm/space/ui~', 'INTERNAL_UPSTREAM', 'INHERIT', 'ALLOW', '/*'],
    ['/npm//lodash$', 'PUBLISH', 'INHERIT', 'BLOCK', '/npm/*'],
    ['/npm/*', 'EXTERNAL_UPSTREAM', 'INHERIT', 'ALLOW', '/*'],
    ['/*', 'PUBLISH', 'ALLOW', 'ALLOW', '/*'],
  ])('%s %s: mode %s, effective %s from %s', (pattern, type, mode, effectiveMode, source) => {
    const effective = groups.effective(groups.find(pattern)!, type as OriginRestrictionType);
    expect([effective.mode, effective.effectiveMode, effective.source.record.pattern]).toEqual([mode, effectiveMode, source]);
  });

  it('takes the allowed repositories from the group the mode is inherited from', () => {
    expect(groups.effective(groups.find('/npm/space/ui~')!, 'PUBLISH').allowedRepositories).toEqual(['internal']);
  });

  it('re-parents children when a group goes: the next ancestor decides', () => {
    const records = [group('/npm/*', { PUBLISH: 'BLOCK' }), group('/npm/space/*', { PUBLISH: 'ALLOW' }), group('/npm/space/ui$')];
    const before = new PackageGroupSet({ groups: records }, CREATED);
    const after = new PackageGroupSet({ groups: records.filter((record) => record.pattern !== '/npm/space/*') }, CREATED);
    expect(before.effective(before.find('/npm/space/ui$')!, 'PUBLISH').effectiveMode).toBe('ALLOW');
    expect(after.parentOf(after.find('/npm/space/ui$')!)?.record.pattern).toBe('/npm/*');
    expect(after.effective(after.find('/npm/space/ui$')!, 'PUBLISH').effectiveMode).toBe('BLOCK');
  });
});

describe('checkGroupEntry', () => {
  it.each([
    // package, restriction, repository, refused by (undefined: allowed)
    ['/npm/space/ui-kit', 'PUBLISH', 'internal', undefined],
    ['/npm/space/ui-kit', 'PUBLISH', 'other', '/npm/space/ui-kit$'],
    ['/npm/space/ui-kit', 'EXTERNAL_UPSTREAM', 'npm-store', '/npm/space/ui-kit$'],
    ['/npm/space/ui-kit', 'INTERNAL_UPSTREAM', 'app', '/npm/space/ui-kit$'],
    ['/npm/space/ui-button', 'INTERNAL_UPSTREAM', 'app', undefined],
    ['/npm//react', 'PUBLISH', 'internal', '/npm/*'],
    ['/npm//react', 'EXTERNAL_UPSTREAM', 'npm-store', undefined],
    ['/npm//lodash', 'EXTERNAL_UPSTREAM', 'npm-store', undefined],
    ['/npm//lodash', 'EXTERNAL_UPSTREAM', 'app', '/npm//lodash$'],
    ['/pypi//requests', 'PUBLISH', 'internal', undefined],
    // WEAK: blocked every way, in every repository.
    ['/npm//Lodash', 'EXTERNAL_UPSTREAM', 'npm-store', '/npm//lodash$'],
    ['/npm//Lodash', 'INTERNAL_UPSTREAM', 'app', '/npm//lodash$'],
    ['/npm/space/UI-Kit', 'PUBLISH', 'internal', '/npm/space/ui-kit$'],
  ])('%s by %s into %s: refused by %s', (path, type, repository, refusedBy) => {
    const refusal = checkGroupEntry(groups, pkg(path), type as OriginRestrictionType, repository);
    expect(refusal?.group.record.pattern).toBe(refusedBy);
  });

  it('reports a WEAK refusal without a restriction, and a setting refusal with the one in force', () => {
    const weak = checkGroupEntry(groups, pkg('/npm//Lodash'), 'PUBLISH', 'x');
    expect(weak?.associationType).toBe('WEAK');
    expect(weak?.restriction).toBeUndefined();
    expect(checkGroupEntry(groups, pkg('/npm/space/ui-kit'), 'PUBLISH', 'x')?.restriction).toMatchObject({
      mode: 'INHERIT',
      effectiveMode: 'ALLOW_SPECIFIC_REPOSITORIES',
    });
  });

  it('allows everything when the root is the only group and unchanged', () => {
    const rootOnly = new PackageGroupSet(undefined, CREATED);
    expect(rootOnly.allowsEverything).toBe(true);
    expect(checkGroupEntry(rootOnly, pkg('/npm//anything'), 'PUBLISH', 'x')).toBeUndefined();
  });
});

describe('package groups at their edges', () => {
  it('gives a new group INHERIT everywhere and the root ALLOW, with no tags and no allowed repositories', () => {
    const empty = { PUBLISH: [], EXTERNAL_UPSTREAM: [], INTERNAL_UPSTREAM: [] };
    expect(newGroupRecord('/npm/*', CREATED)).toEqual({
      pattern: '/npm/*',
      createdTime: CREATED,
      tags: [],
      restrictions: { PUBLISH: 'INHERIT', EXTERNAL_UPSTREAM: 'INHERIT', INTERNAL_UPSTREAM: 'INHERIT' },
      allowedRepositories: empty,
    });
    expect(newGroupRecord('/*', CREATED)).toEqual({
      pattern: '/*',
      createdTime: CREATED,
      tags: [],
      restrictions: { PUBLISH: 'ALLOW', EXTERNAL_UPSTREAM: 'ALLOW', INTERNAL_UPSTREAM: 'ALLOW' },
      allowedRepositories: empty,
    });
  });

  it('uses a stored root instead of adding a default one, so its BLOCK holds for packages of no other group', () => {
    const set = new PackageGroupSet({ groups: [group('/*', { PUBLISH: 'BLOCK' })] }, CREATED);
    expect(set.groups.map((resolved) => resolved.record.pattern)).toEqual(['/*']);
    expect(set.allowsEverything).toBe(false);
    expect(checkGroupEntry(set, pkg('/npm//anything'), 'PUBLISH', 'main')?.restriction?.effectiveMode).toBe('BLOCK');
    expect(checkGroupEntry(set, pkg('/npm//anything'), 'EXTERNAL_UPSTREAM', 'main')).toBeUndefined();
  });

  it('orders groups of equal specificity by their pattern text, whatever order they were stored in', () => {
    const patterns = ['/npm//b$', '/npm//a$', '/npm//c$'];
    for (const stored of [patterns, [...patterns].reverse()]) {
      const set = new PackageGroupSet({ groups: stored.map((pattern) => group(pattern)) }, CREATED);
      expect(set.groups.map((resolved) => resolved.record.pattern)).toEqual(['/npm//a$', '/npm//b$', '/npm//c$', '/*']);
    }
  });

  it('enforces a blocking root even when the most specific group allows everything', () => {
    const set = new PackageGroupSet(
      { groups: [group('/*', { PUBLISH: 'BLOCK' }), group('/npm//open$', { PUBLISH: 'ALLOW', EXTERNAL_UPSTREAM: 'ALLOW', INTERNAL_UPSTREAM: 'ALLOW' })] },
      CREATED,
    );
    expect(set.allowsEverything).toBe(false);
    expect(checkGroupEntry(set, pkg('/npm//open'), 'PUBLISH', 'main')).toBeUndefined();
    expect(checkGroupEntry(set, pkg('/npm//closed'), 'PUBLISH', 'main')?.group.record.pattern).toBe('/*');
  });

  it('refuses a look-alike of a group that allows everything: a WEAK match enters nowhere', () => {
    const set = new PackageGroupSet(
      { groups: [group('/npm//lodash$', { PUBLISH: 'ALLOW', EXTERNAL_UPSTREAM: 'ALLOW', INTERNAL_UPSTREAM: 'ALLOW' })] },
      CREATED,
    );
    const refusal = checkGroupEntry(set, pkg('/npm//Lodash'), 'PUBLISH', 'main');
    expect(refusal).toMatchObject({ associationType: 'WEAK', type: 'PUBLISH', group: { record: { pattern: '/npm//lodash$' } } });
    expect(refusal?.restriction).toBeUndefined();
    expect(checkGroupEntry(set, pkg('/npm//lodash'), 'PUBLISH', 'main')).toBeUndefined();
  });

  it('ignores a repository list kept from an earlier ALLOW_SPECIFIC_REPOSITORIES once the mode is BLOCK', () => {
    const set = new PackageGroupSet({ groups: [group('/npm//x$', { PUBLISH: 'BLOCK' }, { PUBLISH: ['main'] })] }, CREATED);
    expect(checkGroupEntry(set, pkg('/npm//x'), 'PUBLISH', 'main')?.restriction).toMatchObject({ effectiveMode: 'BLOCK', allowedRepositories: ['main'] });
  });

  it('treats a stored root of INHERIT (which updates refuse) as the default, ALLOW', () => {
    const set = new PackageGroupSet({ groups: [group('/*', { PUBLISH: 'INHERIT' }), group('/npm/*')] }, CREATED);
    const effective = set.effective(set.find('/npm/*')!, 'PUBLISH');
    expect([effective.mode, effective.effectiveMode, effective.source.record.pattern]).toEqual(['INHERIT', 'ALLOW', '/npm/*']);
    expect(checkGroupEntry(set, pkg('/npm//any'), 'PUBLISH', 'main')).toBeUndefined();
  });
});
