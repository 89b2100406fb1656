/**
 * The generic endpoint: /<domain>/generic/<repo>/<namespace>/<package>/<version>/<asset>.
 * GET and HEAD download an asset of a Published or Unlisted version, streamed from its blob;
 * PUT uploads one asset with its SHA-256 in `x-checksum-sha256`, and `?unfinished=true` keeps
 * the version open for more assets, as publish-package-version does. Generic packages are never
 * looked up in upstreams (docs/reference/generic.md).
 */
import { createReadStream } from 'node:fs';
import type { PackageKey, PackageVersionStatus } from '../../core/model.js';
import { normalizePackageWith } from '../../core/package-names.js';
import { PayloadTooLargeError, ResourceNotFoundError, ValidationError, type ArtifactError } from '../../errors.js';
import { publishGenericAsset } from '../../operations/generic-publish.js';
import { requireVersion } from '../../operations/package-versions.js';
import { sendBlob, sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { refuseDeclaredOver } from '../../server/body.js';
import { stageRequestBody } from '../../server/staged-body.js';
import type { Format } from '../format.js';
import { genericRules } from './rules.js';

const ASSET_PATH = /^([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;
// docs/reference/statuses.md: the statuses whose assets clients may download.
const DOWNLOADABLE: readonly PackageVersionStatus[] = ['Published', 'Unlisted'];
// Header values must be Latin-1; other asset names are offered without a file name.
const HEADER_SAFE = /^[\x20-\x7e]+$/;

interface AssetAddress {
  key: PackageKey;
  version: string;
  asset: string;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError(`The path segment ${JSON.stringify(raw.slice(0, 80))} is not valid percent-encoding.`);
  }
}

function addressOf(context: RequestContext, match: RegExpExecArray): AssetAddress {
  const [namespace, name, version, asset] = match.slice(1).map(decodeSegment);
  const normalized = normalizePackageWith(genericRules, namespace, name);
  return { key: { domain: context.domain, repository: context.repository.name, ...normalized }, version, asset };
}

async function download(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { key, version: versionName, asset: assetName } = addressOf(context, match);
  const { version } = await requireVersion(context.deps.store, key, versionName);
  const asset = DOWNLOADABLE.includes(version.status) ? version.assets.find((candidate) => candidate.name === assetName) : undefined;
  if (!asset) throw new ResourceNotFoundError(`Version ${versionName} has no downloadable asset ${JSON.stringify(assetName)}.`, { resourceType: 'asset' });
  await sendBlob(context.req, context.res, context.deps.store.blobs, {
    sha256: asset.hashes['SHA-256'],
    contentType: 'application/octet-stream',
    fileName: HEADER_SAFE.test(asset.name) ? asset.name : undefined,
  });
}

async function upload(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { key, version, asset } = addressOf(context, match);
  const sha256 = context.req.headers['x-checksum-sha256'];
  if (typeof sha256 !== 'string' || sha256 === '') {
    throw new ValidationError('The x-checksum-sha256 header is required: the lowercase hex SHA-256 of the body.');
  }
  const maxBytes = context.deps.config.server.maxUploadBytes;
  // Staged with listeners first: handing the request itself to the blob store would destroy it
  // at the cap, and a client still sending a chunked body would see a reset instead of the 413.
  const staged = await stageRequestBody(context.req, context.deps.store.root, 'generic-upload', maxBytes, () => tooLarge(maxBytes));
  let result: Awaited<ReturnType<typeof publishGenericAsset>>;
  try {
    result = await publishGenericAsset(context.deps.store, {
      domain: key.domain,
      repository: key.repository,
      namespace: key.namespace as string,
      package: key.name,
      version,
      assetName: asset,
      assetSha256: sha256,
      content: createReadStream(staged.file),
      unfinished: context.query.get('unfinished') === 'true',
      maxBytes,
    });
  } finally {
    await staged.discard();
  }
  sendJson(context.req, context.res, 200, result);
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The upload is larger than the limit of ${maxBytes} bytes.`, {
    hint: 'Raise server.maxUploadBytes in the config file if this upload is expected.',
  });
}

export const genericFormat: Format = {
  name: 'generic',
  routes: () => [
    { method: 'GET', path: ASSET_PATH, access: 'read', handle: download },
    {
      method: 'PUT',
      path: ASSET_PATH,
      access: 'write',
      refuseDeclaredLength: (req, maxBytes) => refuseDeclaredOver(req, maxBytes, () => tooLarge(maxBytes)),
      handle: upload,
    },
  ],
  renderError: (error: ArtifactError) => ({ contentType: 'application/json', body: JSON.stringify({ code: error.code, message: error.message }) }),
};
