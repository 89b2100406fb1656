import { describe, expect, it } from 'vitest';
import type { PackageFormat } from '../../src/core/model.js';
import {
  compareSpecificity,
  matchPattern,
  packagePath,
  parsePackageGroupPattern as parseWithRules,
  patternContains,
  readStoredPattern,
  variantKey,
} from '../../src/core/package-group-pattern.js';
import { ValidationError } from '../../src/errors.js';
import { FORMAT_RULES } from '../../src/formats/registry.js';

// Patterns someone writes are held to the rules the registry gives each format.
const parsePackageGroupPattern = (text: string) => parseWithRules(text, FORMAT_RULES);

function pkg(path: string): { format: PackageFormat; namespace?: string; name: string } {
  const [, format, namespace, name] = path.split('/');
  return { format: format as PackageFormat, ...(namespace ? { namespace } : {}), name };
}

describe('parsePackageGroupPattern', () => {
  it.each([
    ['/*', 'all'],
    ['/npm/*', 'format'],
    ['/maven/com.anycompany~', 'namespace-prefix'],
    ['/npm/space/*', 'namespace'],
    ['/pypi//*', 'namespace'],
    ['/npm/space/anycompany-ui~', 'name-prefix'],
    ['/maven/org.apache.logging.log4j/log4j-core$', 'name'],
    ['/pypi//requests$', 'name'],
    ['/npm//react$', 'name'],
  ])('reads %s as a %s pattern', (text, kind) => {
    expect(parsePackageGroupPattern(text).kind).toBe(kind);
  });

  it.each([
    ['npm/*', "must start with '/'"],
    ['/npm', "must end with '$', '~' or '*'"],
    ['/npm*', "'*' must follow a '/'"],
    ['/npm/space/name/*', "'*' can follow the format or the namespace"],
    ['/npm/space$', "'$' must end a full path"],
    ['/npm~', "'~' must end a namespace or a name"],
    ['/python//requests$', 'is not a package format'],
    ['/pypi/ns/requests$', 'pypi packages have no namespace'],
    ['/pypi//Requests$', 'pypi names are written normalised: requests'],
    ['/pypi//my_pkg~', 'pypi names are written normalised: my-pkg'],
    ['/nuget//Newtonsoft.Json$', 'nuget names are written normalised: newtonsoft.json'],
    ['/maven//junit$', 'maven packages always have a namespace'],
    ['/maven//*', 'maven packages always have a namespace'],
    ['/npm/@space/*', 'npm scopes are written as stored: space'],
    ['/npm/~', "a '~' prefix must not be empty"],
    ['/npm/space/$', 'a name must not be empty'],
    ['/npm/sp ace/*', 'whitespace'],
    ['/', 'must be 2 to 520 characters'],
    [`/npm/space/${'a'.repeat(520)}$`, 'must be 2 to 520 characters'],
  ])('refuses %s: %s', (text, reason) => {
    expect(() => parsePackageGroupPattern(text)).toThrow(ValidationError);
    expect(() => parsePackageGroupPattern(text)).toThrow(reason);
  });
});

describe('readStoredPattern', () => {
  it('reads a stored pattern by its syntax alone: the format rules were checked when it was written', () => {
    expect(readStoredPattern('/npm/space/ui~')).toEqual(parsePackageGroupPattern('/npm/space/ui~'));
    expect(readStoredPattern('/pypi//Requests$').name).toBe('Requests');
    expect(() => parsePackageGroupPattern('/pypi//Requests$')).toThrow('pypi names are written normalised');
    expect(() => readStoredPattern('/npm/space/name/*')).toThrow(ValidationError);
  });
});

describe('matchPattern', () => {
  it.each([
    // pattern, package path, expected
    ['/*', '/cargo//serde', 'STRONG'],
    ['/npm/*', '/npm//react', 'STRONG'],
    ['/npm/*', '/npm/space/ui', 'STRONG'],
    ['/npm/*', '/pypi//react', undefined],
    ['/npm//*', '/npm//react', 'STRONG'],
    ['/npm//*', '/npm/space/ui', undefined],
    ['/npm/space/*', '/npm/space/ui', 'STRONG'],
    ['/npm/space/*', '/npm/spaces/ui', undefined],
    ['/npm/space/*', '/npm//ui', undefined],
    // '~' stops on a word boundary: foo matches foo and foo-bar, not food.
    ['/npm/space/foo~', '/npm/space/foo', 'STRONG'],
    ['/npm/space/foo~', '/npm/space/foo-bar', 'STRONG'],
    ['/npm/space/foo~', '/npm/space/foo.bar', 'STRONG'],
    ['/npm/space/foo~', '/npm/space/foo_bar', 'STRONG'],
    ['/npm/space/foo~', '/npm/space/food', undefined],
    ['/npm/space/foo~', '/npm/space/foo2', undefined],
    ['/npm/space/foo-~', '/npm/space/foo-bar', 'STRONG'],
    ['/maven/com.anycompany~', '/maven/com.anycompany/app', 'STRONG'],
    ['/maven/com.anycompany~', '/maven/com.anycompany.ui/app', 'STRONG'],
    ['/maven/com.anycompany~', '/maven/com.anycompanyx/app', undefined],
    ['/maven/org.apache.logging.log4j/log4j-core$', '/maven/org.apache.logging.log4j/log4j-core', 'STRONG'],
    ['/maven/org.apache.logging.log4j/log4j-core$', '/maven/org.apache.logging.log4j/log4j-core-x', undefined],
    ['/pypi//requests$', '/pypi//requests', 'STRONG'],
    // WEAK: the same up to case, runs of '-._', or look-alike characters.
    ['/npm//lodash$', '/npm//Lodash', 'WEAK'],
    ['/npm//lodash$', '/npm//l0dash', 'WEAK'],
    ['/npm//lodash$', '/npm//1odash', 'WEAK'],
    ['/npm//lodash$', '/npm//Iodash', 'WEAK'],
    ['/npm//lodash$', '/npm//lоdash', 'WEAK'], // Cyrillic о
    ['/npm//lodash$', '/npm//lodásh', 'WEAK'],
    ['/npm//lodash$', '/npm//lodash-es', undefined],
    ['/maven/com.acme/my-lib$', '/maven/com.acme/my_lib', 'WEAK'],
    ['/maven/com.acme/my-lib$', '/maven/com.acme/my--lib', 'WEAK'],
    ['/maven/com.acme/my-lib$', '/maven/com.acme/my.lib', 'WEAK'],
    ['/maven/com.acme/my-lib$', '/maven/com.acme/mylib', undefined],
    ['/maven/com.acme/my-lib$', '/maven/Com.Acme/my-lib', 'WEAK'],
    ['/maven/com.acme/my-lib$', '/maven/Com.Acme/My_Lib', 'WEAK'],
    ['/npm/space/anycompany~', '/npm/space/AnyCompany-ui', 'WEAK'],
    ['/npm/space/any-company~', '/npm/space/any_company-ui', 'WEAK'],
    ['/npm/space/anycompany~', '/npm/space/anycompanyui', undefined],
    ['/maven/com.anycompany~', '/maven/com-anycompany/app', 'WEAK'],
    ['/npm/space/*', '/npm/Space/ui', 'WEAK'],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(matchPattern(parsePackageGroupPattern(pattern), pkg(path))).toBe(expected);
  });
});

describe('specificity and containment', () => {
  const order = ['/*', '/npm/*', '/npm/sp~', '/npm/space~', '/npm/space/*', '/npm/space/ui~', '/npm/space/ui-kit~', '/npm/space/ui-kit$'];

  it('orders patterns from the least specific to the most', () => {
    const parsed = order.map(parsePackageGroupPattern);
    for (let i = 1; i < parsed.length; i++) expect(compareSpecificity(parsed[i], parsed[i - 1])).toBeGreaterThan(0);
  });

  it.each([
    ['/*', '/npm/*', true],
    ['/npm/*', '/npm/space/*', true],
    ['/npm/*', '/pypi//*', false],
    ['/npm/space~', '/npm/space-ui/*', true],
    ['/npm/space~', '/npm/spacex/*', false],
    ['/npm/space~', '/npm/space.ui~', true],
    ['/npm/space/*', '/npm/space~', false],
    ['/npm/space/*', '/npm/space/ui$', true],
    ['/npm/space/ui~', '/npm/space/ui-kit$', true],
    ['/npm/space/ui~', '/npm/space/uikit$', false],
    ['/npm/space/ui$', '/npm/space/ui$', false],
    ['/npm/space/ui-kit$', '/npm/space/ui~', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(patternContains(parsePackageGroupPattern(outer), parsePackageGroupPattern(inner))).toBe(expected);
  });

  it('writes package paths with an empty namespace as //', () => {
    expect(packagePath({ format: 'pypi', name: 'requests' })).toBe('/pypi//requests');
    expect(packagePath({ format: 'npm', namespace: 'space', name: 'ui' })).toBe('/npm/space/ui');
  });

  it('folds variants onto one key', () => {
    expect(variantKey('My_Lib--Core')).toBe(variantKey('my.lib.core'));
    expect(variantKey('paypal')).not.toBe(variantKey('paypai-x'));
  });
});
