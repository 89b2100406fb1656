/**
 * PUT of a checksum sidecar (.md5, .sha1, .sha256, .sha512). Nothing is stored: the sidecar is
 * checked against the digest of the bytes it describes, which must have been uploaded first
 * (404 otherwise, as CodeArtifact answers), and a mismatch is a 400 so the deploy fails loudly.
 * Hex digits are compared without regard to case: an uppercase digest names the same bytes,
 * so refusing it (as CodeArtifact does) would only break tools that write one.
 */
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { readCappedBody } from './capped-body.js';
import { CHECKSUMS, metadataLevels, type ChecksumAlgorithm, type MavenPath } from './maven-path.js';
import { assetDigest, coordinatesText, packageKey } from './maven-package.js';
import { ARTIFACT_LEVEL, pluginInfoOf, uploadedDigests } from './uploaded-metadata.js';

const MAX_SIDECAR_BYTES = 1024;

export async function receiveChecksum(context: RequestContext, path: MavenPath, algorithm: ChecksumAlgorithm): Promise<void> {
  const { req, res } = context;
  const text = (await readCappedBody(req, MAX_SIDECAR_BYTES, `A ${algorithm.toUpperCase()} checksum file`)).toString('utf8');
  // Sidecars hold the hex digest, sometimes followed by whitespace and the file name.
  const given = text.trim().split(/\s+/)[0] ?? '';
  if (!new RegExp(`^[0-9a-fA-F]{${CHECKSUMS[algorithm].hexLength}}$`).test(given)) {
    throw new ValidationError(`The ${algorithm.toUpperCase()} checksum file does not hold a ${algorithm.toUpperCase()} digest.`);
  }
  const { name, known } = await knownDigests(context, path, algorithm);
  if (known.length === 0) {
    throw new ResourceNotFoundError(`${name} is not stored in repository ${context.repository.name}; upload it before its checksum.`, {
      resourceType: 'asset',
      resourceId: name,
    });
  }
  if (!known.includes(given.toLowerCase())) {
    throw new ValidationError(
      `The ${algorithm.toUpperCase()} checksum uploaded for ${name} does not match its content (${given.toLowerCase()} given, ${known[0]} stored).`,
      {
        hint: 'The file was damaged or changed in transit, or the checksum belongs to another file; upload both again.',
      },
    );
  }
  sendText(req, res, 201, 'text/plain', '');
}

/** The digests the sidecar may match: the stored file's, or those of the metadata uploaded lately. */
async function knownDigests(context: RequestContext, path: MavenPath, algorithm: ChecksumAlgorithm): Promise<{ name: string; known: string[] }> {
  const { store } = context.deps;
  if (path.kind === 'file') {
    const { groupId, artifactId, version, fileName } = path.file;
    const record = await store.index.getPackage(packageKey(context, groupId, artifactId));
    const stored = record && Object.hasOwn(record.versions, version) ? record.versions[version] : undefined;
    const asset = stored?.assets.find((candidate) => candidate.name === fileName);
    const digest = asset && assetDigest(asset, algorithm);
    return { name: `${fileName} of ${coordinatesText(groupId, artifactId, version)}`, known: digest ? [digest] : [] };
  }
  const levels = metadataLevels(path.dirs);
  const name = `maven-metadata.xml of ${path.dirs.join('/')}`;
  if (levels.snapshot) {
    const record = await store.index.getPackage(packageKey(context, levels.snapshot.groupId, levels.snapshot.artifactId));
    return {
      name,
      known: uploadedDigests(record, levels.snapshot.version)
        .map((upload) => upload[algorithm])
        .filter(isText),
    };
  }
  const artifact = uploadedDigests(await store.index.getPackage(packageKey(context, levels.artifact.groupId, levels.artifact.artifactId)), ARTIFACT_LEVEL);
  if (artifact.length) return { name, known: artifact.map((upload) => upload[algorithm]).filter(isText) };
  // Group-level metadata: its digests are kept on each plugin package it listed.
  const known: string[] = [];
  for (const ref of await store.index.listPackages(context.domain, context.repository.name, 'maven')) {
    if (ref.namespace !== levels.groupId) continue;
    const digest = pluginInfoOf(await store.index.getPackage(packageKey(context, levels.groupId, ref.name)))?.groupMetadata[algorithm];
    if (digest) known.push(digest);
  }
  return { name, known };
}

function isText(value: string | undefined): value is string {
  return typeof value === 'string';
}
