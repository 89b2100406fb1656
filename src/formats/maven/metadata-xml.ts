/**
 * maven-metadata.xml at its three levels, written from what the repository stores and read
 * from what clients upload and public registries serve. Timestamps are UTC: lastUpdated is
 * yyyyMMddHHmmss, a snapshot timestamp yyyyMMdd.HHmmss.
 */
import { childNode, childNodes, childText, childTexts, element, parseXml, XmlProblem } from './maven-xml.js';

export interface ArtifactMetadata {
  groupId: string;
  artifactId: string;
  /** In Maven order, oldest first. */
  versions: string[];
  latest?: string;
  release?: string;
  lastUpdated: string;
}

export interface SnapshotFileEntry {
  classifier?: string;
  extension: string;
  /** The version text in the file name: 1.3.0-20240501.103000-3, or 1.3.0-SNAPSHOT. */
  value: string;
  updated: string;
}

export interface SnapshotMetadata {
  groupId: string;
  artifactId: string;
  version: string;
  snapshot?: { timestamp: string; buildNumber: number };
  lastUpdated: string;
  files: SnapshotFileEntry[];
}

export interface PluginEntry {
  prefix: string;
  artifactId: string;
  name?: string;
}

/** What a client or registry said in a maven-metadata.xml, whichever level it is. */
export interface ParsedMetadata {
  groupId?: string;
  artifactId?: string;
  version?: string;
  versions: string[];
  lastUpdated?: string;
  snapshot?: { timestamp?: string; buildNumber?: number };
  plugins: PluginEntry[];
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function renderArtifactMetadata(metadata: ArtifactMetadata): Buffer {
  const lines = [
    '<metadata>',
    `  ${element('groupId', metadata.groupId)}`,
    `  ${element('artifactId', metadata.artifactId)}`,
    '  <versioning>',
    ...(metadata.latest ? [`    ${element('latest', metadata.latest)}`] : []),
    ...(metadata.release ? [`    ${element('release', metadata.release)}`] : []),
    '    <versions>',
    ...metadata.versions.map((version) => `      ${element('version', version)}`),
    '    </versions>',
    `    ${element('lastUpdated', metadata.lastUpdated)}`,
    '  </versioning>',
    '</metadata>',
  ];
  return Buffer.from(DECLARATION + lines.join('\n') + '\n');
}

export function renderSnapshotMetadata(metadata: SnapshotMetadata): Buffer {
  const snapshot = metadata.snapshot
    ? [`    <snapshot>${element('timestamp', metadata.snapshot.timestamp)}${element('buildNumber', String(metadata.snapshot.buildNumber))}</snapshot>`]
    : [];
  const files = metadata.files.map(
    (file) =>
      `      <snapshotVersion>${element('classifier', file.classifier)}${element('extension', file.extension)}${element('value', file.value)}${element('updated', file.updated)}</snapshotVersion>`,
  );
  const lines = [
    '<metadata modelVersion="1.1.0">',
    `  ${element('groupId', metadata.groupId)}`,
    `  ${element('artifactId', metadata.artifactId)}`,
    `  ${element('version', metadata.version)}`,
    '  <versioning>',
    ...snapshot,
    `    ${element('lastUpdated', metadata.lastUpdated)}`,
    '    <snapshotVersions>',
    ...files,
    '    </snapshotVersions>',
    '  </versioning>',
    '</metadata>',
  ];
  return Buffer.from(DECLARATION + lines.join('\n') + '\n');
}

export function renderGroupMetadata(plugins: PluginEntry[]): Buffer {
  const lines = [
    '<metadata>',
    '  <plugins>',
    ...plugins.map(
      (plugin) => `    <plugin>${element('name', plugin.name)}${element('prefix', plugin.prefix)}${element('artifactId', plugin.artifactId)}</plugin>`,
    ),
    '  </plugins>',
    '</metadata>',
  ];
  return Buffer.from(DECLARATION + lines.join('\n') + '\n');
}

/** Reads any level of maven-metadata.xml; throws XmlProblem when it is not one. */
export function parseMetadata(text: string): ParsedMetadata {
  const metadata = childNode(parseXml(text), 'metadata');
  if (!metadata) throw new XmlProblem('its root element is not <metadata>');
  const versioning = childNode(metadata, 'versioning');
  const snapshot = childNode(versioning, 'snapshot');
  const buildNumber = Number(childText(snapshot, 'buildNumber'));
  return {
    groupId: childText(metadata, 'groupId'),
    artifactId: childText(metadata, 'artifactId'),
    version: childText(metadata, 'version'),
    versions: childTexts(childNode(versioning, 'versions'), 'version'),
    lastUpdated: childText(versioning, 'lastUpdated'),
    snapshot: snapshot
      ? { timestamp: childText(snapshot, 'timestamp'), buildNumber: Number.isSafeInteger(buildNumber) && buildNumber > 0 ? buildNumber : undefined }
      : undefined,
    plugins: childNodes(childNode(metadata, 'plugins'), 'plugin').flatMap((plugin) => {
      const prefix = childText(plugin, 'prefix');
      const artifactId = childText(plugin, 'artifactId');
      return prefix && artifactId ? [{ prefix, artifactId, name: childText(plugin, 'name') }] : [];
    }),
  };
}

/** 2024-05-01T10:30:00.000Z -> 20240501103000. */
export function lastUpdatedOf(iso: string): string {
  return iso.replace(/[-:T]/g, '').slice(0, 14);
}
