/**
 * get-package-version-asset: copies one asset's bytes from the blob store to a file. The bytes
 * go to a temp file beside the target and are hashed on the way, so the target is either left
 * alone or replaced by exactly the recorded bytes, never by a partial or damaged copy. A stream
 * instead of a file name (the CLI's `-`, standard output) gets the bytes as they are read; a
 * damaged copy is then reported after the fact, as the bytes are already out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { packageFlags, shellWord } from '../core/command-line.js';
import type { AssetRecord, PackageKey, PackageVersionStatus } from '../core/model.js';
import { ArtifactError, IntegrityError, ResourceNotFoundError, ValidationError } from '../errors.js';
import { formatRules } from '../formats/registry.js';
import type { Store } from '../store/store.js';
import { requireVersion } from './package-versions.js';
import { packageDisplayName } from './publish.js';

// docs/reference/statuses.md: only these statuses have assets that can be downloaded.
const DOWNLOADABLE: readonly PackageVersionStatus[] = ['Published', 'Unlisted'];

export interface GetAssetInput extends AssetRequest {
  /** A file name, or a stream the bytes are written to (left open). */
  outfile: string | Writable;
}

export interface AssetRequest {
  version: string;
  asset: string;
  packageVersionRevision?: string;
}

/** The asset a download names, with its version, once it is known to be downloadable and present. */
export async function findDownloadableAsset(store: Store, key: PackageKey, input: AssetRequest) {
  const { version } = await requireVersion(store, key, input.version);
  const label = `${packageDisplayName(key)} version ${version.version}`;
  if (input.packageVersionRevision !== undefined && input.packageVersionRevision !== version.revision) {
    throw new ResourceNotFoundError(`${label} has no revision ${input.packageVersionRevision}; the current one is ${version.revision}.`, {
      resourceType: 'package-version',
    });
  }
  if (!DOWNLOADABLE.includes(version.status)) {
    throw new ResourceNotFoundError(`${label} is ${version.status}; its assets cannot be downloaded.`, {
      resourceType: 'package-version',
      hint:
        version.status === 'Archived'
          ? `Make it downloadable again with \`artifact-cli update-package-versions-status ${packageFlags(key)} --versions ${shellWord(version.version)} --target-status Published\`.`
          : undefined,
    });
  }
  const asset = formatRules(key.format).findAsset(key.name, version, input.asset);
  if (!asset) {
    throw new ResourceNotFoundError(`${label} has no asset ${JSON.stringify(input.asset)}.`, {
      resourceType: 'asset',
      resourceId: input.asset,
      hint: `List them with \`artifact-cli list-package-version-assets ${packageFlags(key)} --package-version ${shellWord(version.version)}\`.`,
    });
  }
  if ((await store.blobs.size(asset.hashes['SHA-256'])) === undefined) {
    throw new IntegrityError(`The stored file of asset ${asset.name} of ${label} is missing.`, {
      hint: 'Run `artifact-cli verify` to see what else is damaged.',
    });
  }
  return { asset, version };
}

/** The name a download answers with, as the API lists it (an npm tarball is always `package.tgz`). */
export function presentedAssetName(key: PackageKey, version: { assets: readonly AssetRecord[] }, asset: AssetRecord): string {
  const index = version.assets.indexOf(asset);
  return index < 0 ? asset.name : formatRules(key.format).presentAssets(version.assets)[index].name;
}

export async function getPackageVersionAsset(store: Store, key: PackageKey, input: GetAssetInput) {
  const { asset, version } = await findDownloadableAsset(store, key, input);
  const sha256 = asset.hashes['SHA-256'];
  if (typeof input.outfile === 'string') await copyVerified(store, sha256, asset.size, input.outfile);
  else await streamVerified(store, sha256, asset.size, input.outfile);
  return { assetName: presentedAssetName(key, version, asset), packageVersion: version.version, packageVersionRevision: version.revision };
}

/** Hashes and counts the bytes passing through; `check` throws unless they were the recorded ones. */
function meterFor(sha256: string, size: number): { meter: Transform; check: () => void } {
  const hash = createHash('sha256');
  let copied = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      copied += chunk.length;
      done(null, chunk);
    },
  });
  const check = () => {
    if (hash.digest('hex') !== sha256 || copied !== size) {
      throw new IntegrityError(`The stored file of this asset is damaged: it no longer matches its SHA-256 ${sha256}.`, {
        hint: 'Run `artifact-cli verify`, then publish the asset again.',
      });
    }
  };
  return { meter, check };
}

async function streamVerified(store: Store, sha256: string, size: number, output: Writable): Promise<void> {
  const { meter, check } = meterFor(sha256, size);
  // Standard output is not ours to close.
  await pipeline(store.blobs.open(sha256), meter, output, { end: false });
  check();
}

async function copyVerified(store: Store, sha256: string, size: number, outfile: string): Promise<void> {
  const target = path.resolve(outfile);
  // Else the bytes went to a temp file beside it (in its parent) and the rename failed with EISDIR.
  if ((await fs.stat(target).catch(() => undefined))?.isDirectory()) {
    throw new ValidationError(`Cannot write ${outfile}: it is a directory.`, { hint: 'Name the file to write, e.g. a path inside that directory.' });
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const { meter, check } = meterFor(sha256, size);
  try {
    await pipeline(store.blobs.open(sha256), meter, createWriteStream(temp, { flags: 'wx' }));
    check();
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    if (error instanceof ArtifactError) throw error;
    throw new ValidationError(`Cannot write ${outfile}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check that its directory exists and is writable.',
    });
  }
}
