/**
 * The Marshal gemspec `gem` 3.3 fetches from quick/Marshal.4.8/<file>.gemspec.rz before it
 * installs a gem found in the compact index (docs/formats/ruby.md, "Marshal gemspec"): a
 * Gem::Specification dumped with its _dump field list, zlib-deflated.
 */
import { deflateSync } from 'node:zlib';
import type { GemDependency } from './gem-spec.js';
import { marshalDump, symbol, type MarshalValue } from './marshal-writer.js';
import type { Requirement } from './requirements.js';
import type { StoredGemFacts } from './version-record.js';

const gemVersion = (version: string): MarshalValue => ({ kind: 'userMarshal', className: 'Gem::Version', data: [version] });

function gemRequirement(requirement: Requirement): MarshalValue {
  return { kind: 'userMarshal', className: 'Gem::Requirement', data: [requirement.map(([operator, version]) => [operator, gemVersion(version)])] };
}

function gemDependency(dependency: GemDependency): MarshalValue {
  const requirement = gemRequirement(dependency.requirement);
  return {
    kind: 'object',
    className: 'Gem::Dependency',
    ivars: [
      ['@name', dependency.name],
      ['@requirement', requirement],
      ['@type', symbol(dependency.type)],
      ['@prerelease', false],
      ['@version_requirements', requirement],
    ],
  };
}

/** The field order of Gem::Specification#_dump (specification version 4). */
export function marshalGemspec(name: string, version: string, facts: StoredGemFacts): Buffer {
  const fields: MarshalValue[] = [
    facts.rubygemsVersion ?? '3.3.15',
    4,
    name,
    gemVersion(version),
    // A date string in the form Gem::Specification#date= accepts; nil would mean today.
    facts.date ?? null,
    facts.summary ?? '',
    gemRequirement(facts.requiredRuby),
    gemRequirement(facts.requiredRubygems),
    facts.platform,
    facts.dependencies.map(gemDependency),
    '',
    facts.email.length === 1 ? facts.email[0] : facts.email.length ? facts.email : null,
    facts.authors,
    facts.description ?? '',
    facts.homepage ?? '',
    true,
    facts.platform,
    facts.licenses,
    { kind: 'hash', entries: Object.entries(facts.metadata) },
  ];
  const spec: MarshalValue = { kind: 'userDump', className: 'Gem::Specification', bytes: marshalDump(fields) };
  return deflateSync(marshalDump(spec));
}
