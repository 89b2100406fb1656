/**
 * The facts of a gem this server keeps and serves, read from its parsed gemspec
 * (docs/formats/ruby.md, "Gemspec fields"). Anything malformed is refused with the field named,
 * since `gem` prints our answer as it is.
 */
import { ValidationError } from '../../errors.js';
import { isGemName, isGemPlatform, isGemVersion, RUBY_PLATFORM } from './gem-names.js';
import { ANY_VERSION, isRequirement, type Requirement } from './requirements.js';

export interface GemDependency {
  name: string;
  type: 'runtime' | 'development';
  requirement: Requirement;
}

export interface GemSpec {
  name: string;
  version: string;
  platform: string;
  dependencies: GemDependency[];
  requiredRuby: Requirement;
  requiredRubygems: Requirement;
  summary?: string;
  description?: string;
  homepage?: string;
  licenses: string[];
  authors: string[];
  email: string[];
  /** YYYY-MM-DD */
  date?: string;
  metadata: Record<string, string>;
  rubygemsVersion?: string;
  specificationVersion: number;
}

const MAX_DEPENDENCIES = 1000;
const MAX_TEXT = 64 * 1024;

type Map = Record<string, unknown>;

function isMap(value: unknown): value is Map {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== '~' ? value.slice(0, MAX_TEXT) : undefined;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return text(value) ? [value.slice(0, MAX_TEXT)] : [];
  return Array.isArray(value)
    ? value
        .map(text)
        .filter((entry): entry is string => entry !== undefined)
        .slice(0, 100)
    : [];
}

export function specFromYaml(data: unknown): GemSpec {
  if (!isMap(data)) throw invalid('the gemspec is not a mapping');
  const name = text(data.name);
  if (!name || !isGemName(name))
    throw invalid(
      `the name ${JSON.stringify((typeof data.name === 'string' ? data.name : JSON.stringify(data.name ?? '')).slice(0, 100))} is not a valid gem name`,
    );
  const version = isMap(data.version) ? text(data.version.version) : undefined;
  if (!version || !isGemVersion(version)) throw invalid(`the version ${JSON.stringify(String(version ?? '').slice(0, 100))} is not a valid gem version`);
  const platform = readPlatform(data.platform);
  const dependencies = readDependencies(data.dependencies);
  const metadata: Record<string, string> = {};
  if (isMap(data.metadata)) {
    for (const [key, value] of Object.entries(data.metadata).slice(0, 100)) if (typeof value === 'string') metadata[key.slice(0, 128)] = value.slice(0, 1024);
  }
  const date = typeof data.date === 'string' ? /^(\d{4}-\d{2}-\d{2})/.exec(data.date)?.[1] : undefined;
  const specificationVersion = Number(data.specification_version);
  return prune({
    name,
    version,
    platform,
    dependencies,
    requiredRuby: readRequirement(data.required_ruby_version, 'required_ruby_version'),
    requiredRubygems: readRequirement(data.required_rubygems_version, 'required_rubygems_version'),
    summary: text(data.summary),
    description: text(data.description),
    homepage: text(data.homepage),
    licenses: texts(data.licenses),
    authors: texts(data.authors),
    email: texts(data.email),
    date,
    metadata,
    rubygemsVersion: text(data.rubygems_version),
    specificationVersion: Number.isInteger(specificationVersion) && specificationVersion > 0 ? specificationVersion : 4,
  });
}

function readPlatform(value: unknown): string {
  if (value === undefined || value === '' || value === RUBY_PLATFORM) return RUBY_PLATFORM;
  let platform: string | undefined;
  if (typeof value === 'string') platform = value;
  else if (isMap(value)) platform = [value.cpu, value.os, value.version].map(text).filter(Boolean).join('-');
  if (!platform || !isGemPlatform(platform)) throw invalid(`the platform ${JSON.stringify(String(platform ?? '').slice(0, 100))} is not valid`);
  return platform;
}

function readDependencies(value: unknown): GemDependency[] {
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw invalid('dependencies is not a list');
  if (value.length > MAX_DEPENDENCIES) throw invalid(`it has more than ${MAX_DEPENDENCIES} dependencies`);
  return value.map((entry, index) => {
    if (!isMap(entry)) throw invalid(`dependency ${index + 1} is not a mapping`);
    const name = text(entry.name);
    if (!name || !isGemName(name)) throw invalid(`dependency ${index + 1} has no valid gem name`);
    const type = entry.type === ':development' ? 'development' : 'runtime';
    return { name, type, requirement: readRequirement(entry.requirement ?? entry.version_requirements, `the requirement of ${name}`) };
  });
}

/** `{requirements: [[op, {version}]]}` to `[[op, version]]`; nothing written means any version. */
function readRequirement(value: unknown, what: string): Requirement {
  if (value === undefined || value === '') return ANY_VERSION;
  const list = isMap(value) ? value.requirements : undefined;
  if (!Array.isArray(list)) throw invalid(`${what} has no list of requirements`);
  const pairs = (list as unknown[]).map((pair: unknown): unknown =>
    Array.isArray(pair) && pair.length === 2 && isMap(pair[1]) ? [pair[0], pair[1].version] : pair,
  );
  if (pairs.length === 0) return ANY_VERSION;
  if (!isRequirement(pairs)) throw invalid(`${what} is not a list of operator and version pairs`);
  return pairs;
}

function invalid(why: string): ValidationError {
  return new ValidationError(`The gem's specification is invalid: ${why}.`);
}

function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
