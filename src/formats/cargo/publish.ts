/**
 * PUT api/v1/crates/new: `cargo publish` (docs/formats/cargo.md, "Publish"). The whole body is
 * checked before anything is stored: lengths, metadata, crate name rules, the .crate's entries
 * and its Cargo.toml. The index line is made here, with `cksum` computed from the bytes, and
 * goes through the shared publish path (origin controls, package groups, conflicts). The same
 * version again with identical bytes succeeds without change; with other bytes it is refused.
 */
import { createHash } from 'node:crypto';
import { assetRecord } from '../../core/assets.js';
import type { PackageRecord } from '../../core/model.js';
import { ConflictError } from '../../errors.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import { readBody } from '../../server/body.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { checkCrateArchive } from './crate-archive.js';
import { crateKey, foldedName } from './crate-name.js';
import { crateKeyIn } from './crate-sources.js';
import { versionIdentity } from './crate-view.js';
import { splitFeatures, storedLineOf, type IndexLine } from './index-line.js';
import { parsePublishBody, type PublishMetadata } from './publish-body.js';
import { crateAssetName, versionFromLine } from './version-record.js';

const PUBLISHED = { warnings: { invalid_categories: [], invalid_badges: [], other: [] } };

export async function handlePublish(context: RequestContext): Promise<void> {
  const { store, config } = context.deps;
  const body = await readBody(context.req, config.server.maxUploadBytes);
  const { metadata, crate } = parsePublishBody(body);
  await checkCrateArchive(crate, metadata.name, metadata.vers);
  const name = crateKey(metadata.name);
  const key = crateKeyIn(context, name);
  const record = await store.index.getPackage(key);
  checkPublishAllowed(key, record);
  await checkNameFree(context, metadata.name);
  const line = lineOf(metadata, createHash('sha256').update(crate).digest('hex'));
  if (record && isRepeat(record, metadata, line, context.repository.name)) {
    sendJson(context.req, context.res, 200, PUBLISHED);
    return;
  }
  await checkGroupAllowsEntry(store, key, 'PUBLISH');
  await withBlobLease(store, async () => {
    const digests = await store.blobs.put(crate, { sha256: line.cksum });
    await publishPackageVersion(store, key, versionFromLine(line, assetRecord(crateAssetName(line), digests), metadata));
  });
  sendJson(context.req, context.res, 200, PUBLISHED);
}

function lineOf(metadata: PublishMetadata, cksum: string): IndexLine {
  return {
    name: metadata.name,
    vers: metadata.vers,
    deps: metadata.deps,
    cksum,
    ...splitFeatures(metadata.features),
    links: metadata.links,
    rust_version: metadata.rustVersion,
  };
}

/**
 * True when this exact version is already here with the same bytes; a conflict when the version
 * (ignoring build metadata, as cargo does) is here with other bytes or under another spelling.
 */
function isRepeat(record: PackageRecord, metadata: PublishMetadata, line: IndexLine, repository: string): boolean {
  for (const existing of Object.values(record.versions)) {
    const stored = storedLineOf(existing);
    if (stored && stored.name !== metadata.name) {
      throw new ConflictError(`Crate ${metadata.name} is published here as ${stored.name}; publish it under that name.`, {
        resourceType: 'package',
        resourceId: record.name,
      });
    }
    if (versionIdentity(existing.version) !== versionIdentity(metadata.vers)) continue;
    if (existing.status === 'Disposed') {
      throw new ConflictError(
        `Crate ${metadata.name} ${existing.version} was disposed in repository ${repository}; its number can be published again only after delete-package-versions.`,
        {
          resourceType: 'package-version',
          resourceId: `${record.name}@${existing.version}`,
        },
      );
    }
    if (existing.version === metadata.vers && stored?.cksum === line.cksum) return true;
    throw new ConflictError(
      `Crate ${metadata.name} ${existing.version} already exists in repository ${repository} with other contents; published versions never change.`,
      {
        hint: 'Publish a new version number.',
        resourceType: 'package-version',
        resourceId: `${record.name}@${existing.version}`,
      },
    );
  }
  return false;
}

/** Refuses a name that differs from a crate here only by '-' versus '_' (the public registry's rule). */
async function checkNameFree(context: RequestContext, name: string): Promise<void> {
  const folded = foldedName(name);
  const own = crateKey(name);
  for (const ref of await context.deps.store.index.listPackages(context.domain, context.repository.name, 'cargo')) {
    if (ref.name !== own && foldedName(ref.name) === folded) {
      throw new ConflictError(
        `Crate ${name} clashes with the crate ${ref.name} in this repository: names that differ only in '-' and '_' are the same crate.`,
        {
          hint: `Publish it as ${ref.name}, or choose another name.`,
          resourceType: 'package',
          resourceId: ref.name,
        },
      );
    }
  }
}
