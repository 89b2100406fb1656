/**
 * Turns the package.json of a published tarball into the CodeArtifact-shaped fields of a
 * version record: dependencies, summary, licenses, home page, source repository.
 */
import type { VersionRecord } from '../../core/model.js';

type Dependency = NonNullable<VersionRecord['dependencies']>[number];

/** package.json field -> CodeArtifact dependencyType. */
const DEPENDENCY_FIELDS = [
  ['dependencies', 'regular'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
  ['optionalDependencies', 'optional'],
] as const;

const MAX_TEXT = 4096;

export interface ManifestFields {
  dependencies: Dependency[];
  summary?: string;
  homePage?: string;
  sourceCodeRepository?: string;
  licenses?: VersionRecord['licenses'];
}

export function manifestFields(manifest: Record<string, unknown>): ManifestFields {
  return {
    dependencies: dependenciesOf(manifest),
    summary: text(manifest.description),
    homePage: text(manifest.homepage),
    sourceCodeRepository: repositoryUrl(manifest.repository),
    licenses: licensesOf(manifest),
  };
}

function dependenciesOf(manifest: Record<string, unknown>): Dependency[] {
  const result: Dependency[] = [];
  for (const [field, dependencyType] of DEPENDENCY_FIELDS) {
    const entries = manifest[field];
    if (!entries || typeof entries !== 'object' || Array.isArray(entries)) continue;
    for (const [fullName, range] of Object.entries(entries)) {
      if (typeof range !== 'string') continue;
      const scoped = /^@([^/]+)\/(.+)$/.exec(fullName);
      result.push({
        dependencyType,
        ...(scoped ? { namespace: scoped[1], package: scoped[2] } : { package: fullName }),
        versionRequirement: range,
      });
    }
  }
  return result;
}

/** `license: "MIT"`, the old `license: {type, url}`, or the older `licenses: [...]`. */
function licensesOf(manifest: Record<string, unknown>): VersionRecord['licenses'] {
  const one = (value: unknown) => {
    if (typeof value === 'string') return { name: value.slice(0, MAX_TEXT) };
    if (value && typeof value === 'object') {
      const { type, url } = value as Record<string, unknown>;
      return { ...(typeof type === 'string' ? { name: type.slice(0, MAX_TEXT) } : {}), ...(typeof url === 'string' ? { url: url.slice(0, MAX_TEXT) } : {}) };
    }
    return undefined;
  };
  const values = manifest.license !== undefined ? [manifest.license] : Array.isArray(manifest.licenses) ? manifest.licenses : [];
  const licenses = values.map(one).filter((license): license is { name?: string; url?: string } => license !== undefined && Object.keys(license).length > 0);
  return licenses.length ? licenses : undefined;
}

function repositoryUrl(repository: unknown): string | undefined {
  if (typeof repository === 'string') return text(repository);
  if (repository && typeof repository === 'object') return text((repository as Record<string, unknown>).url);
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : undefined;
}
