/**
 * PUT of a file into the repository (mvn deploy, Gradle publish). The file joins its version,
 * which stays Unfinished until a maven-metadata.xml upload publishes it (docs/reference/statuses.md).
 * A POM must be XML naming the coordinates of its path, and its dependencies and description
 * become the version's; a Java archive must be a zip. Once a release is Published its files
 * never change (409); a SNAPSHOT's may, and an Unfinished release's may too, so a deploy cut
 * off half-way can be run again after a rebuild.
 */
import { assetRecord } from '../../core/assets.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { publishAsset, type VersionDraft } from '../../operations/add-asset.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkPublishAllowed } from '../../operations/publish.js';
import { readBody } from '../../server/body.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import type { BlobDigests } from '../../store/blob-store.js';
import { readCappedBody } from './capped-body.js';
import { parseFileName, type FileCoordinates } from './maven-path.js';
import { coordinatesText, packageKey } from './maven-package.js';
import { isSnapshotVersion } from './maven-version.js';
import { XmlProblem } from './maven-xml.js';
import { applyPomFields, coordinateMismatches, type Pom } from './pom.js';
import { MAX_POM_BYTES } from './stored-pom.js';
import { announcedDigests, refuseDeclaredOversize, sha256Only, uploadStream } from './upload-body.js';
import { readPomOffThread } from './xml-off-thread.js';

/** Extensions of files that are zip archives (Java, web, enterprise and Android archives, zips). */
const ZIP_EXTENSIONS = new Set(['jar', 'war', 'ear', 'aar', 'zip']);

export async function receiveFile(context: RequestContext, file: FileCoordinates): Promise<void> {
  const { req, res, deps } = context;
  const { store } = deps;
  const coordinates = coordinatesText(file.groupId, file.artifactId, file.version);
  const parts = parseFileName(file.artifactId, file.version, file.fileName);
  if (!parts) {
    throw new ValidationError(`${file.fileName} is not a file name of ${coordinates}.`, {
      hint: `Files of this version are named ${file.artifactId}-${file.version}[-classifier].extension${isSnapshotVersion(file.version) ? ' (or with a build timestamp in place of SNAPSHOT)' : ''}.`,
    });
  }
  const key = packageKey(context, file.groupId, file.artifactId);
  const current = await store.index.getPackage(key);
  // Refuse what cannot succeed before reading a byte of the body.
  checkPublishAllowed(key, current);
  const maxBytes = deps.config.server.maxUploadBytes;
  refuseDeclaredOversize(req, maxBytes);
  const expected = announcedDigests(req);
  const existing = current && Object.hasOwn(current.versions, file.version) ? current.versions[file.version] : undefined;
  const fixed =
    existing && !isSnapshotVersion(file.version) && existing.status !== 'Unfinished'
      ? existing.assets.find((asset) => asset.name === file.fileName)
      : undefined;
  if (fixed) {
    // A published release file never changes: compare without storing, so a refused upload leaves no trace.
    if ((await sha256Only(uploadStream(req), maxBytes)) !== fixed.hashes['SHA-256']) {
      throw new ConflictError(`${file.fileName} of ${coordinates} is already published with different content; released files never change.`, {
        resourceType: 'asset',
        resourceId: file.fileName,
        hint: 'Deploy a new version, or a -SNAPSHOT version while it is still changing.',
      });
    }
    sendText(req, res, 201, 'text/plain', '');
    return;
  }
  // The package group may keep new files out (a file deployed again unchanged is answered above).
  await checkGroupAllowsEntry(store, key, 'PUBLISH');
  const isMainPom = parts.extension === 'pom' && !parts.classifier;

  await withBlobLease(store, async () => {
    let digests: BlobDigests;
    let pom: Pom | undefined;
    if (parts.extension === 'pom') {
      // The lower of the two limits decides, and the 413 names the one that did.
      const bytes = maxBytes < MAX_POM_BYTES ? await readBody(req, maxBytes) : await readCappedBody(req, MAX_POM_BYTES, 'A POM');
      pom = await checkedPom(bytes, file, isMainPom);
      digests = await store.blobs.put(bytes, expected);
    } else {
      digests = await store.blobs.put(uploadStream(req, ZIP_EXTENSIONS.has(parts.extension) ? file.fileName : undefined), { ...expected, maxBytes });
    }
    const fields = isMainPom ? pom?.fields : undefined;
    await publishAsset(store, key, {
      version: file.version,
      asset: assetRecord(file.fileName, digests),
      status: 'Unfinished',
      mayReplace: (version) => isSnapshotVersion(version.version) || version.status === 'Unfinished',
      update: fields ? (draft: VersionDraft) => applyPomFields(draft, fields) : undefined,
    });
  });
  sendText(req, res, 201, 'text/plain', '');
}

async function checkedPom(bytes: Buffer, file: FileCoordinates, isMainPom: boolean): Promise<Pom> {
  let pom: Pom;
  try {
    pom = await readPomOffThread(bytes.toString('utf8'));
  } catch (error) {
    if (!(error instanceof XmlProblem)) throw error;
    throw new ValidationError(`${file.fileName} is not a valid POM: ${error.message}; nothing was stored.`);
  }
  const problems = isMainPom ? coordinateMismatches(pom.coordinates, file) : [];
  if (problems.length) throw new ValidationError(`${file.fileName} does not describe the version it was uploaded to: ${problems.join('; ')}.`);
  return pom;
}
