/**
 * The Maven 2 repository layout: `group/path/artifactId/version/file`, `.../artifactId/maven-metadata.xml`
 * and checksum sidecars of either. Paths arrive percent-encoded; each segment is decoded once and
 * checked, so an encoded separator (%2F, %5C) or a dot segment (%2E%2E) never becomes part of
 * a name. A request whose path does not fit the layout is a 404 for reads (nothing is there)
 * and a 400 for writes (nothing could be stored there).
 */
import { validateAssetName, validatePackagePart } from '../../core/names.js';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { isSnapshotVersion } from './maven-version.js';

export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

/** Sidecar suffix -> the AssetRecord hash it is served from, and its hex length. */
export const CHECKSUMS: Readonly<Record<ChecksumAlgorithm, { hash: 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512'; hexLength: number }>> = {
  md5: { hash: 'MD5', hexLength: 32 },
  sha1: { hash: 'SHA-1', hexLength: 40 },
  sha256: { hash: 'SHA-256', hexLength: 64 },
  sha512: { hash: 'SHA-512', hexLength: 128 },
};

export const METADATA_FILE = 'maven-metadata.xml';

export interface FileCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
  fileName: string;
}

export type MavenPath =
  | { kind: 'file'; file: FileCoordinates; checksum?: ChecksumAlgorithm }
  /** maven-metadata.xml in `dirs`; which level it is depends on what is stored (see metadataLevels). */
  | { kind: 'metadata'; dirs: string[]; checksum?: ChecksumAlgorithm };

// eslint-disable-next-line no-control-regex
const UNSAFE_SEGMENT = /[\\\u0000-\u001f\u007f]/;

export function parseMavenPath(rawPath: string, forWrite: boolean): MavenPath {
  const segments = rawPath.split('/').map(decodeSegment);
  const misfit = (why: string) =>
    forWrite
      ? new ValidationError(`The path ${JSON.stringify(shorten(rawPath))} does not fit the Maven repository layout: ${why}.`, {
          hint: 'Files go to group/path/artifactId/version/artifactId-version[-classifier].extension.',
        })
      : new ResourceNotFoundError(`Nothing is stored at ${JSON.stringify(shorten(rawPath))}.`);
  if (segments.some((segment) => segment === '')) throw misfit('it has an empty segment');
  let fileName = segments[segments.length - 1];
  let checksum: ChecksumAlgorithm | undefined;
  const suffix = /\.(md5|sha1|sha256|sha512)$/.exec(fileName);
  if (suffix) {
    checksum = suffix[1] as ChecksumAlgorithm;
    fileName = fileName.slice(0, -suffix[0].length);
    if (/\.(md5|sha1|sha256|sha512)$/.test(fileName) || fileName === '') throw misfit('a checksum of a checksum is not a file');
  }
  const dirs = segments.slice(0, -1);
  if (fileName === METADATA_FILE) {
    if (dirs.length < 2) throw misfit('metadata lives in a groupId/artifactId folder');
    dirs.forEach((dir, index) => checkPart(index === dirs.length - 1 ? 'package' : 'namespace', dir, misfit));
    return { kind: 'metadata', dirs, checksum };
  }
  if (dirs.length < 3) throw misfit('a file needs groupId path, artifactId and version folders');
  const groupDirs = dirs.slice(0, -2);
  for (const dir of groupDirs) {
    if (dir.includes('.')) throw misfit(`the group folder ${JSON.stringify(dir)} contains '.'`);
  }
  const file: FileCoordinates = {
    groupId: checkPart('namespace', groupDirs.join('.'), misfit),
    artifactId: checkPart('package', dirs[dirs.length - 2], misfit),
    version: checkPart('version', dirs[dirs.length - 1], misfit),
    fileName,
  };
  try {
    validateAssetName(fileName);
  } catch (error) {
    throw misfit((error as Error).message);
  }
  return { kind: 'file', file, checksum };
}

/** The levels a metadata folder can stand for, most specific first. */
export function metadataLevels(dirs: string[]): {
  snapshot?: { groupId: string; artifactId: string; version: string };
  artifact: { groupId: string; artifactId: string };
  groupId: string;
} {
  const last = dirs[dirs.length - 1];
  return {
    snapshot:
      dirs.length >= 3 && isSnapshotVersion(last) ? { groupId: dirs.slice(0, -2).join('.'), artifactId: dirs[dirs.length - 2], version: last } : undefined,
    artifact: { groupId: dirs.slice(0, -1).join('.'), artifactId: last },
    groupId: dirs.join('.'),
  };
}

/** Where a package's files live, relative to the repository root, ending in '/'. */
export function artifactDirectory(groupId: string, artifactId: string): string {
  return `${groupId.split('.').map(encodeURIComponent).join('/')}/${encodeURIComponent(artifactId)}/`;
}

export function filePath(file: FileCoordinates): string {
  return `${artifactDirectory(file.groupId, file.artifactId)}${encodeURIComponent(file.version)}/${encodeURIComponent(file.fileName)}`;
}

export interface FileNameParts {
  /** For SNAPSHOT versions: the timestamped build the file belongs to, absent for `-SNAPSHOT` files. */
  build?: SnapshotBuild;
  classifier?: string;
  /** Everything after the first dot of the tail: jar, pom, jar.asc, tar.gz ... */
  extension: string;
}

export interface SnapshotBuild {
  /** yyyyMMdd.HHmmss, UTC. */
  timestamp: string;
  buildNumber: number;
}

/**
 * Splits `artifactId-version[-classifier].extension` (for SNAPSHOTs also
 * `artifactId-base-yyyyMMdd.HHmmss-N[-classifier].extension`); undefined when the name does not
 * belong to that version.
 */
export function parseFileName(artifactId: string, version: string, fileName: string): FileNameParts | undefined {
  if (isSnapshotVersion(version)) {
    const base = `${artifactId}-${version.slice(0, -'SNAPSHOT'.length)}`;
    if (!fileName.startsWith(base)) return undefined;
    const rest = fileName.slice(base.length);
    const timestamped = /^(\d{8}\.\d{6})-(\d{1,9})(?=[.-])/.exec(rest);
    if (timestamped) {
      const tail = splitTail(rest.slice(timestamped[0].length));
      return tail && { ...tail, build: { timestamp: timestamped[1], buildNumber: Number(timestamped[2]) } };
    }
    return rest.startsWith('SNAPSHOT') ? splitTail(rest.slice('SNAPSHOT'.length)) : undefined;
  }
  const prefix = `${artifactId}-${version}`;
  return fileName.startsWith(prefix) ? splitTail(fileName.slice(prefix.length)) : undefined;
}

/** `-sources.jar` -> classifier sources, extension jar; `.pom` -> extension pom. */
function splitTail(tail: string): Omit<FileNameParts, 'build'> | undefined {
  if (tail.startsWith('.') && tail.length > 1) return { extension: tail.slice(1) };
  const match = /^-([^.]+)\.(.+)$/.exec(tail);
  return match ? { classifier: match[1], extension: match[2] } : undefined;
}

/** The file name of a classifier and extension in a build (or the plain `-SNAPSHOT` name). */
export function fileNameOf(artifactId: string, versionText: string, parts: Pick<FileNameParts, 'classifier' | 'extension'>): string {
  return `${artifactId}-${versionText}${parts.classifier ? `-${parts.classifier}` : ''}.${parts.extension}`;
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new ValidationError('The path is not correctly percent-encoded.');
  }
  if (decoded === '.' || decoded === '..' || decoded.includes('/') || UNSAFE_SEGMENT.test(decoded)) {
    throw new ValidationError(`The path segment ${JSON.stringify(shorten(segment))} is not allowed: no '.', '..', encoded separators or control characters.`);
  }
  return decoded;
}

function checkPart(kind: 'namespace' | 'package' | 'version', value: string, misfit: (why: string) => Error): string {
  try {
    return validatePackagePart(kind, value);
  } catch (error) {
    throw misfit((error as Error).message.replace(/\.$/, ''));
  }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
