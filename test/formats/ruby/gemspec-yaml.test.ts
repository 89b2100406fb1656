/**
 * The gemspec YAML reader (src/formats/ruby/gemspec-yaml.ts): RubyGems' own shapes are read as
 * plain data, aliases included, and what a hostile gemspec could make of aliases (a billion
 * laughs, a collection that contains itself, a chain deeper than the stack) is refused with a
 * ValidationError, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_VALUES, parseGemspecYaml } from '../../../src/formats/ruby/gemspec-yaml.js';
import { ValidationError } from '../../../src/errors.js';
import { gemspecYaml } from '../../helpers/ruby-gem.js';

function refusal(text: string): string {
  try {
    parseGemspecYaml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('the YAML was read');
}

describe('parseGemspecYaml', () => {
  it('reads a gemspec as gem build writes it: strings only, an empty value as the empty string', () => {
    const spec = parseGemspecYaml(gemspecYaml({ name: 'plain', version: '1.10', dependencies: { rack: [['>=', '2.0']] } })) as Record<string, unknown>;
    expect(spec.name).toBe('plain');
    expect(spec.version).toEqual({ version: '1.10' });
    expect(spec.email).toBe('');
    expect(spec.cert_chain).toEqual([]);
    const [dependency] = spec.dependencies as Record<string, unknown>[];
    expect(dependency.requirement).toEqual({ requirements: [['>=', { version: '2.0' }]] });
  });

  it('reads an older gemspec whose dependencies share their requirement through aliases, each alias a copy of its own', () => {
    const dependencies = Array.from(
      { length: 500 },
      (_, index) =>
        `- !ruby/object:Gem::Dependency\n  name: dep${index}\n  requirement: &id${index} !ruby/object:Gem::Requirement\n    requirements:\n    - - ">="\n      - !ruby/object:Gem::Version\n        version: "1.0"\n  type: :runtime\n  version_requirements: *id${index}\n`,
    );
    const text = `--- !ruby/object:Gem::Specification\nname: old\nversion: !ruby/object:Gem::Version\n  version: 1.0.0\ndependencies:\n${dependencies.join('')}`;
    const spec = parseGemspecYaml(text) as { dependencies: Record<string, unknown>[] };
    expect(spec.dependencies).toHaveLength(500);
    const [first] = spec.dependencies;
    expect(first.version_requirements).toEqual(first.requirement);
    expect(first.version_requirements).not.toBe(first.requirement);
  });

  it('keeps a key named __proto__ a key, and the last of a key given twice', () => {
    const data = parseGemspecYaml('__proto__:\n  polluted: yes\nname: a\nname: b\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__', 'name']);
    expect(data.name).toBe('b');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a billion laughs by what its aliases expand to, before expanding them', () => {
    const levels = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level += 1)
      levels.push(
        `l${level}: &l${level} [${Array(9)
          .fill(`*l${level - 1}`)
          .join(',')}]`,
      );
    const started = performance.now();
    expect(refusal(`${levels.join('\n')}\n`)).toBe(
      `The gemspec's YAML aliases expand to more than ${MAX_ALIAS_VALUES} values; it was refused as a possible YAML bomb.`,
    );
    // Nine levels expand to about 390 million values; refusing them must not walk them.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a collection that contains itself through an alias', () => {
    expect(refusal('a: &a [x, *a]\n')).toMatch(/YAML aliases expand to more than \d+ values; it was refused as a possible YAML bomb/);
    expect(refusal('a: &a\n  self: *a\n')).toMatch(/YAML aliases expand to more than \d+ values/);
  });

  it('refuses a long chain of aliases (each level naming the one before) by what it expands to, without exhausting the stack', () => {
    const lines = ['a0: &a0 [x]'];
    for (let index = 1; index <= 20_000; index += 1) lines.push(`a${index}: &a${index} [*a${index - 1}]`);
    expect(refusal(`${lines.join('\n')}\n`)).toMatch(/YAML aliases expand to more than \d+ values; it was refused as a possible YAML bomb/);
  });

  it('refuses any tag but the RubyGems specification ones, naming it', () => {
    expect(refusal('name: !ruby/object:Gem::Installer\n  i: x\n')).toBe(
      'The gemspec uses the YAML tag !ruby/object:Gem::Installer, which is not allowed: only the RubyGems specification tags are read.',
    );
    expect(refusal('bindir: !ruby/sym bin\n')).toMatch(/uses the YAML tag !ruby\/sym, which is not allowed/);
    expect(refusal('metadata: !!js/function "function () {}"\n')).toMatch(/uses the YAML tag tag:yaml.org,2002:js\/function, which is not allowed/);
  });

  it('refuses text that is not YAML in one line', () => {
    const message = refusal('name: [unclosed\n');
    expect(message).toMatch(/^The gemspec is not valid YAML: .+\.$/);
    expect(message).not.toContain('\n');
  });
});
