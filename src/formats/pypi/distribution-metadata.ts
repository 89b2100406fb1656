/**
 * The core metadata inside an uploaded or fetched distribution: a wheel's
 * `{name}-{version}.dist-info/METADATA` (kept as bytes too, since PEP 658 serves it as is) or an
 * sdist's top-level `{name}-{version}/PKG-INFO`.
 */
import { normalizePypiName } from './pep503.js';
import { ValidationError } from '../../errors.js';
import { parseCoreMetadata, type CoreMetadata } from './core-metadata.js';
import type { DistributionKind } from './project-name.js';
import { readTarMember } from './tar-member.js';
import { checkZipPaths, readZipMembers, withZipFile, type Zip } from './zip-member.js';

/** Core metadata files are small; a larger one is a zip bomb or an abuse of the description. */
const MAX_CORE_METADATA_BYTES = 4 * 1024 * 1024;

export interface DistributionMetadata {
  metadata: CoreMetadata;
  /** The wheel's METADATA exactly as stored in it; sdists have none to serve. */
  metadataBytes?: Buffer;
  /** Whether a wheel's METADATA sits in a `.dist-info` folder named for the project, the one pip reads. */
  inProjectDistInfo?: boolean;
}

const WHEEL_METADATA = /^([^/]+)\.dist-info\/METADATA$/;
const SDIST_PKG_INFO = /^[^/]+\/PKG-INFO$/;

export async function readDistributionMetadata(
  file: string | Buffer,
  fileName: string,
  kind: DistributionKind,
  project: string,
): Promise<DistributionMetadata> {
  if (kind === 'wheel') return readWheelMetadata(file, fileName, project);
  const bytes = fileName.endsWith('.zip')
    ? readZipSdist(file, fileName)
    : await readTarMember(file, (entry) => SDIST_PKG_INFO.test(entry.replace(/^\.\//, '')), MAX_CORE_METADATA_BYTES, fileName);
  if (!bytes) throw new ValidationError(`${fileName} has no PKG-INFO in its top folder; it is not a source distribution.`);
  return { metadata: parseCoreMetadata(decode(bytes, `PKG-INFO of ${fileName}`), `PKG-INFO of ${fileName}`) };
}

function readWheelMetadata(file: string | Buffer, fileName: string, project: string): DistributionMetadata {
  return withZipFile(file, fileName, (zip) => wheelMetadataOf(zip, fileName, project));
}

function wheelMetadataOf(zip: Zip, fileName: string, project: string): DistributionMetadata {
  checkZipPaths(zip, fileName);
  const candidates = readZipMembers(zip, (entry) => WHEEL_METADATA.test(entry), MAX_CORE_METADATA_BYTES, fileName);
  if (candidates.length === 0) throw new ValidationError(`${fileName} has no .dist-info/METADATA; it is not a wheel.`);
  // A wheel has one .dist-info folder; if it has more, the one named for the project counts.
  const named = candidates.find((member) => normalizePypiName((WHEEL_METADATA.exec(member.path) as RegExpExecArray)[1].split('-')[0]) === project);
  const chosen = named ?? candidates[0];
  const what = `${chosen.path} in ${fileName}`;
  return { metadata: parseCoreMetadata(decode(chosen.bytes, what), what), metadataBytes: chosen.bytes, inProjectDistInfo: named !== undefined };
}

function readZipSdist(file: string | Buffer, fileName: string): Buffer | undefined {
  return withZipFile(file, fileName, (zip) => {
    checkZipPaths(zip, fileName);
    return readZipMembers(zip, (entry) => SDIST_PKG_INFO.test(entry), MAX_CORE_METADATA_BYTES, fileName)[0]?.bytes;
  });
}

function decode(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(`${what} is not UTF-8 text.`);
  }
}
