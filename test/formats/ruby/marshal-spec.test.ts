/**
 * The Marshal gemspec as Ruby itself reads it: the bytes marshalGemspec writes are inflated and
 * loaded with Marshal.load by the real `ruby`, and the Gem::Specification it makes is printed
 * field by field. Runs where ruby is installed (CI installs it; findRubyClients fails there
 * without it).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { marshalGemspec } from '../../../src/formats/ruby/marshal-spec.js';
import { marshalDump, symbol } from '../../../src/formats/ruby/marshal-writer.js';
import type { StoredGemFacts } from '../../../src/formats/ruby/version-record.js';
import { findRubyClients } from '../../helpers/ruby-clients.js';
import { parseJson } from '../../helpers/json.js';

const HAVE_RUBY = findRubyClients();

function rubyLoad(script: string, input: Buffer): string {
  const result = spawnSync('ruby', ['-e', script], { input, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`ruby failed: ${result.stderr}`);
  return result.stdout;
}

const facts: StoredGemFacts = {
  platform: 'x86_64-linux',
  dependencies: [
    {
      name: 'base_gem',
      type: 'runtime',
      requirement: [
        ['>=', '1.0'],
        ['<', '2'],
      ],
    },
    { name: 'rake', type: 'development', requirement: [['~>', '13.0']] },
  ],
  requiredRuby: [['>=', '2.7']],
  requiredRubygems: [['>=', '0']],
  summary: 'Summary with ünïcode',
  description: 'Longer text',
  homepage: 'http://example.invalid/x',
  licenses: ['MIT'],
  authors: ['A', 'B'],
  email: ['a@example.invalid'],
  date: '2024-05-01',
  metadata: { source_code_uri: 'http://example.invalid/src' },
  rubygemsVersion: '3.3.15',
  specificationVersion: 4,
  uploadTime: '2024-05-01T00:00:00.000Z',
};

describe.runIf(HAVE_RUBY)('Marshal gemspec read by ruby', () => {
  // Gem::Specification._load puts the licence list into @license (singular), as it does for every
  // registry's Marshal gemspecs; that slot is checked.
  it('loads as a Gem::Specification with every field in place', () => {
    const script = [
      'require "rubygems"; require "zlib"; require "json"',
      'spec = Marshal.load(Zlib::Inflate.inflate($stdin.binmode.read))',
      'puts JSON.generate({',
      '  class: spec.class.name, name: spec.name, version: spec.version.to_s, platform: spec.platform.to_s,',
      '  full_name: spec.full_name, summary: spec.summary, description: spec.description, homepage: spec.homepage,',
      '  licenses: spec.instance_variable_get(:@license), authors: spec.authors, email: spec.email, date: spec.date.strftime("%Y-%m-%d"),',
      '  metadata: spec.metadata, ruby: spec.required_ruby_version.to_s, rubygems: spec.required_rubygems_version.to_s,',
      '  deps: spec.dependencies.map { |d| [d.name, d.type.to_s, d.requirement.to_s] },',
      '  runtime: spec.runtime_dependencies.map(&:name), match: Gem::Requirement.new(">= 2.7").satisfied_by?(Gem::Version.new("3.1"))',
      '})',
    ].join('\n');
    const loaded = parseJson<unknown>(rubyLoad(script, marshalGemspec('native_gem', '1.2.3', facts)));
    expect(loaded).toEqual({
      class: 'Gem::Specification',
      name: 'native_gem',
      version: '1.2.3',
      platform: 'x86_64-linux',
      full_name: 'native_gem-1.2.3-x86_64-linux',
      summary: 'Summary with ünïcode',
      description: 'Longer text',
      homepage: 'http://example.invalid/x',
      licenses: ['MIT'],
      authors: ['A', 'B'],
      email: 'a@example.invalid',
      date: '2024-05-01',
      metadata: { source_code_uri: 'http://example.invalid/src' },
      ruby: '>= 2.7',
      rubygems: '>= 0',
      deps: [
        ['base_gem', 'runtime', '>= 1.0, < 2'],
        ['rake', 'development', '~> 13.0'],
      ],
      runtime: ['base_gem'],
      match: true,
    });
  });

  it('writes integers, symbols (and their links), nil, booleans and hashes as Ruby reads them', () => {
    const value = [
      0,
      1,
      122,
      123,
      255,
      256,
      70000,
      -1,
      -123,
      -124,
      -256,
      -70000,
      null,
      true,
      false,
      symbol('a'),
      symbol('a'),
      { kind: 'hash' as const, entries: [['k', 'v'] as [string, string]] },
    ];
    const out = rubyLoad('print Marshal.load($stdin.binmode.read).inspect', marshalDump(value));
    expect(out).toBe('[0, 1, 122, 123, 255, 256, 70000, -1, -123, -124, -256, -70000, nil, true, false, :a, :a, {"k"=>"v"}]');
  });
});
