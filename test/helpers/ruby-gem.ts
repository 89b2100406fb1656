/**
 * Builds .gem files in Node for the Ruby format tests: an uncompressed tar of metadata.gz (the
 * gemspec YAML as `gem build` writes it), data.tar.gz and checksums.yaml.gz. Options bend them
 * into the broken shapes the bad-input tests need.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { writeTar } from './tar-writer.js';

export interface GemDef {
  name: string;
  version: string;
  platform?: string;
  /** Runtime dependencies: name -> requirement pairs, e.g. [['>=', '1.0']]. */
  dependencies?: Record<string, [string, string][]>;
  developmentDependencies?: Record<string, [string, string][]>;
  requiredRuby?: [string, string][];
  summary?: string;
  description?: string;
  homepage?: string;
  licenses?: string[];
  /** Replaces the generated gemspec YAML. */
  yaml?: string;
  /** Extra top-level tar entries (name -> bytes), or entries of data.tar.gz. */
  extraEntries?: Record<string, Buffer>;
  dataEntries?: Record<string, Buffer>;
  /** Writes a wrong SHA256 for metadata.gz into checksums.yaml.gz. */
  badChecksum?: boolean;
  /** Something different inside, for "same version, other bytes". */
  salt?: string;
}

export interface BuiltGem {
  fileName: string;
  bytes: Buffer;
  sha256: string;
}

// gzip output depends on the mtime field; Node writes zero there, so a definition always builds the same bytes.
export function buildGem(def: GemDef): BuiltGem {
  const platform = def.platform ?? 'ruby';
  const metadata = gzipSync(Buffer.from(def.yaml ?? gemspecYaml(def)));
  const dataFiles: Record<string, Buffer> = {
    [`lib/${def.name}.rb`]: Buffer.from(`# ${def.name} ${def.version} ${def.salt ?? ''}\nmodule ${constantName(def.name)}; VERSION = "${def.version}"; end\n`),
    ...def.dataEntries,
  };
  const data = gzipSync(tarArchive(dataFiles));
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const checksums = gzipSync(Buffer.from(`---\nSHA256:\n  metadata.gz: ${def.badChecksum ? '0'.repeat(64) : sha(metadata)}\n  data.tar.gz: ${sha(data)}\n`));
  const bytes = tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': data, 'checksums.yaml.gz': checksums, ...def.extraEntries });
  const fileName = `${def.name}-${def.version}${platform === 'ruby' ? '' : `-${platform}`}.gem`;
  return { fileName, bytes, sha256: sha(bytes) };
}

export function constantName(name: string): string {
  return name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function requirementYaml(pairs: [string, string][], indent: string): string {
  return `!ruby/object:Gem::Requirement\n${indent}requirements:\n${pairs.map(([op, version]) => `${indent}- - "${op}"\n${indent}  - !ruby/object:Gem::Version\n${indent}    version: '${version}'\n`).join('')}`;
}

function dependencyYaml(name: string, pairs: [string, string][], type: string): string {
  return `- !ruby/object:Gem::Dependency\n  name: ${name}\n  requirement: ${requirementYaml(pairs, '    ')}  type: :${type}\n  prerelease: false\n  version_requirements: ${requirementYaml(pairs, '    ')}`;
}

export function gemspecYaml(def: GemDef): string {
  const dependencies = [
    ...Object.entries(def.dependencies ?? {}).map(([name, pairs]) => dependencyYaml(name, pairs, 'runtime')),
    ...Object.entries(def.developmentDependencies ?? {}).map(([name, pairs]) => dependencyYaml(name, pairs, 'development')),
  ];
  return [
    '--- !ruby/object:Gem::Specification',
    `name: ${def.name}`,
    'version: !ruby/object:Gem::Version',
    `  version: ${def.version}`,
    `platform: ${def.platform ?? 'ruby'}`,
    'authors:',
    '- Test Author',
    'bindir: bin',
    'cert_chain: []',
    'date: 2024-01-01 00:00:00.000000000 Z',
    dependencies.length ? `dependencies:\n${dependencies.join('')}`.trimEnd() : 'dependencies: []',
    `description: ${JSON.stringify(def.description ?? `The ${def.name} gem.`)}`,
    'email:',
    'executables: []',
    'extensions: []',
    'extra_rdoc_files: []',
    'files:',
    `- lib/${def.name}.rb`,
    `homepage: ${def.homepage ?? ''}`,
    `licenses:${(def.licenses ?? ['MIT']).map((license) => `\n- ${license}`).join('')}`,
    'metadata: {}',
    'post_install_message:',
    'rdoc_options: []',
    'require_paths:',
    '- lib',
    `required_ruby_version: ${requirementYaml(def.requiredRuby ?? [['>=', '0']], '  ')}`.trimEnd(),
    `required_rubygems_version: ${requirementYaml([['>=', '0']], '  ')}`.trimEnd(),
    'requirements: []',
    'rubygems_version: 3.3.15',
    'signing_key:',
    'specification_version: 4',
    `summary: ${JSON.stringify(def.summary ?? `Summary of ${def.name}`)}`,
    'test_files: []',
    '',
  ].join('\n');
}

/** A ustar archive of regular files, as RubyGems' TarWriter makes one. */
export function tarArchive(files: Record<string, Buffer>): Buffer {
  return writeTar(Object.entries(files).map(([name, content]) => ({ path: name, content })));
}
