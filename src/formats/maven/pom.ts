/**
 * What the repository keeps from a POM: its coordinates (to check them against the path it was
 * uploaded to) and the CodeArtifact-shaped fields of the version — dependencies (groupId and
 * artifactId as namespace and package, scope as dependencyType), description, home page,
 * source repository and licenses.
 */
import type { VersionRecord } from '../../core/model.js';
import { childNode, childNodes, childText, parseXml, XmlProblem } from './maven-xml.js';

// Texts longer than this are cut: they are for display, and the index stays small.
const MAX_TEXT = 4096;
const MAX_DEPENDENCIES = 1000;

export interface PomCoordinates {
  groupId?: string;
  artifactId?: string;
  version?: string;
  packaging: string;
}

export interface PomFields {
  dependencies: NonNullable<VersionRecord['dependencies']>;
  summary?: string;
  homePage?: string;
  sourceCodeRepository?: string;
  licenses?: VersionRecord['licenses'];
  formatMetadata: { packaging: string; name?: string };
}

export interface Pom {
  coordinates: PomCoordinates;
  fields: PomFields;
}

/** Reads a POM; throws XmlProblem when it is not XML or not a `<project>`. */
export function readPom(text: string): Pom {
  const project = childNode(parseXml(text), 'project');
  if (!project) throw new XmlProblem('its root element is not <project>');
  const parent = childNode(project, 'parent');
  const coordinates: PomCoordinates = {
    groupId: childText(project, 'groupId') ?? childText(parent, 'groupId'),
    artifactId: childText(project, 'artifactId'),
    version: childText(project, 'version') ?? childText(parent, 'version'),
    packaging: childText(project, 'packaging') ?? 'jar',
  };
  const version = coordinates.version;
  const name = cut(childText(project, 'name'));
  return {
    coordinates,
    fields: {
      dependencies: dependenciesOf(project, version),
      summary: cut(childText(project, 'description')) ?? name,
      homePage: cut(childText(project, 'url')),
      sourceCodeRepository: cut(childText(childNode(project, 'scm'), 'url')),
      licenses: licensesOf(project),
      formatMetadata: { packaging: coordinates.packaging, ...(name ? { name } : {}) },
    },
  };
}

function dependenciesOf(project: unknown, projectVersion: string | undefined): PomFields['dependencies'] {
  const result: PomFields['dependencies'] = [];
  for (const dependency of childNodes(childNode(project, 'dependencies'), 'dependency').slice(0, MAX_DEPENDENCIES)) {
    const groupId = childText(dependency, 'groupId');
    const artifactId = childText(dependency, 'artifactId');
    if (!groupId || !artifactId) continue;
    // A version managed by a parent or BOM is absent here; ${project.version} is the common self-reference.
    const version = childText(dependency, 'version')?.replace(/\$\{(project\.)?version\}/g, projectVersion ?? '$&');
    result.push({
      dependencyType: childText(dependency, 'scope') ?? 'compile',
      namespace: cut(groupId),
      package: cut(artifactId) as string,
      ...(version ? { versionRequirement: cut(version) } : {}),
    });
  }
  return result;
}

function licensesOf(project: unknown): VersionRecord['licenses'] {
  const licenses = childNodes(childNode(project, 'licenses'), 'license')
    .map((license) => ({ name: cut(childText(license, 'name')), url: cut(childText(license, 'url')) }))
    .filter((license) => license.name || license.url)
    .map((license) => Object.fromEntries(Object.entries(license).filter(([, value]) => value !== undefined)) as { name?: string; url?: string });
  return licenses.length ? licenses : undefined;
}

function cut(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.slice(0, MAX_TEXT);
}

/**
 * The coordinates a POM names that disagree with the path it was uploaded to. Values that are
 * still property references (`${revision}`, CI-friendly versions) are not compared.
 */
export function coordinateMismatches(pom: PomCoordinates, expected: { groupId: string; artifactId: string; version: string }): string[] {
  const problems: string[] = [];
  for (const field of ['groupId', 'artifactId', 'version'] as const) {
    const value = pom[field];
    if (value === undefined) {
      if (field === 'artifactId') problems.push('it has no <artifactId>');
      continue;
    }
    if (!value.includes('${') && value !== expected[field])
      problems.push(`its ${field} is ${JSON.stringify(value)} but the path says ${JSON.stringify(expected[field])}`);
  }
  return problems;
}

/** A version record with a POM's fields; format metadata the version already has (e.g. its committed build) is kept. */
export function applyPomFields<T extends { formatMetadata?: Record<string, unknown> }>(version: T, fields: PomFields): T {
  return { ...version, ...fields, formatMetadata: { ...version.formatMetadata, ...fields.formatMetadata } };
}
