/**
 * GET and HEAD of a file and of its checksum sidecars. Sidecars are computed from the stored
 * digests, never stored; file responses also carry the digests as X-Checksum-* headers, which
 * Maven Resolver uses instead of a second request for the sidecar.
 */
import { ResourceNotFoundError } from '../../errors.js';
import { streamingMisses } from '../../server/live-download.js';
import { sendBlob, sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { locateFile } from './file-lookup.js';
import type { ChecksumAlgorithm, FileCoordinates } from './maven-path.js';
import { assetDigest } from './maven-package.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pom: 'application/xml',
  xml: 'application/xml',
  jar: 'application/java-archive',
  war: 'application/java-archive',
  ear: 'application/java-archive',
  module: 'application/json',
  json: 'application/json',
  asc: 'text/plain',
};

export async function serveFile(context: RequestContext, file: FileCoordinates, checksum: ChecksumAlgorithm | undefined): Promise<void> {
  const { req, res, deps } = context;
  const extension = file.fileName.slice(file.fileName.lastIndexOf('.') + 1);
  const contentType = CONTENT_TYPES[extension] ?? 'application/octet-stream';
  // A first download from the registry reaches the client as it arrives (live-download.ts); a
  // checksum request needs the whole file first.
  const outcome = checksum
    ? { streamed: false as const, value: await locateFile(context, file) }
    : await streamingMisses(context, { contentType }, () => locateFile(context, file));
  if (outcome.streamed) return;
  const asset = outcome.value;
  if (checksum) {
    const digest = assetDigest(asset, checksum);
    if (!digest) throw new ResourceNotFoundError(`No ${checksum.toUpperCase()} is recorded for ${file.fileName}.`);
    sendText(req, res, 200, 'text/plain', digest);
    return;
  }
  for (const [header, algorithm] of [
    ['x-checksum-sha1', 'sha1'],
    ['x-checksum-md5', 'md5'],
    ['x-checksum-sha256', 'sha256'],
  ] as const) {
    const digest = assetDigest(asset, algorithm);
    if (digest) res.setHeader(header, digest);
  }
  await sendBlob(req, res, deps.store.blobs, { sha256: asset.hashes['SHA-256'], contentType });
}
