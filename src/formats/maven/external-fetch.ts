/**
 * Fetching one file from the public registry behind a repository's external connection: the
 * file's published checksum (.sha1, else .sha256) and the file itself, asked for at the same
 * time (docs/formats/maven-gradle.md); the bytes are checked against that checksum on their
 * way into the blob store, and only then kept, in the repository that holds the connection and
 * in the one that was asked (docs/reference/upstreams.md). A registry that announces no
 * checksum gets nothing stored.
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { assetRecord } from '../../core/assets.js';
import type { AssetRecord, VersionOrigin } from '../../core/model.js';
import { ResourceNotFoundError, UpstreamError } from '../../errors.js';
import { retainAsset, type VersionDraft } from '../../operations/add-asset.js';
import { bothRetained } from '../../operations/ingest.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import type { RequestContext } from '../../server/route.js';
import type { ExpectedBlob } from '../../store/blob-store.js';
import type { Store } from '../../store/store.js';
import { startEarlyDownload, type EarlyDownload } from '../../upstream/early-download.js';
import type { ExternalSource } from '../../upstream/external.js';
import { fetchAssetChecked, LIVE_MIN_BYTES } from '../../upstream/fetch-asset.js';
import { readUpstreamText, redactUrl, upstreamGet } from '../../upstream/http-client.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import { CHECKSUMS, filePath, parseFileName, type FileCoordinates } from './maven-path.js';
import { fileNotFound, packageKey } from './maven-package.js';
import { applyPomFields, type Pom } from './pom.js';
import { readStoredPom } from './stored-pom.js';
import { readPomOffThread } from './xml-off-thread.js';

// The checksums asked for, in order: SHA-1 is what every Maven repository publishes.
const ANNOUNCED = [
  ['sha1', 'sha1'],
  ['sha256', 'sha256'],
] as const;
const MAX_CHECKSUM_BYTES = 1024;

const fetches = new SingleFlight<AssetRecord>();

export function fetchExternalFile(context: RequestContext, external: ExternalSource, file: FileCoordinates): Promise<AssetRecord> {
  // Concurrent first downloads of one file share one fetch of its checksum and bytes.
  return fetches.run(`${context.domain}\n${context.repository.name}\n${external.url}${filePath(file)}`, () => fetchAndKeep(context, external, file));
}

async function fetchAndKeep(context: RequestContext, external: ExternalSource, file: FileCoordinates): Promise<AssetRecord> {
  const { store, config } = context.deps;
  const holderKey = packageKey(context, file.groupId, file.artifactId, external.repository.name);
  if (config.offline) throw fileNotFound(context, file.groupId, file.artifactId, file.version, file.fileName);

  const url = `${external.url}${filePath(file)}`;
  // One round trip instead of two in a row: the file is asked for with its checksum, and its
  // bytes (up to LIVE_MIN_BYTES; a larger answer waits unread, then streams live) wait in
  // memory until the checksum vouches for them (early-download.ts).
  const early = startEarlyDownload(config, url, LIVE_MIN_BYTES);
  const announced = fetchAnnouncedChecksum(context, url);
  // Awaited under the lease below; until then a failure must not count as unhandled.
  announced.catch(() => undefined);
  const parts = parseFileName(file.artifactId, file.version, file.fileName);
  // A main POM is read from the bytes in memory while the server waits for the checksum, the
  // lease file or the store; the result counts only if those bytes are the ones stored.
  const parsedEarly = parts?.extension === 'pom' && !parts.classifier ? earlyPom(early) : undefined;
  try {
    // The lease file is made while both answers are on their way.
    return await withSharedBlobLease(store, async () => {
      const expected = await announced;
      if (!expected) {
        throw new ResourceNotFoundError(
          `${external.connectionName} has no ${file.fileName} of ${file.groupId}:${file.artifactId}:${file.version}, or announces no checksum for it.`,
          { resourceType: 'asset', resourceId: file.fileName },
        );
      }
      const { checked, durable } = fetchAssetChecked(store, config, external, url, expected, early, context.live);
      try {
        const { digests } = await checked;
        // Dependencies and description come from the main POM; a registry's broken POM is kept as bytes only.
        const pom = parsedEarly ? await pomOf(store, digests.sha256, parsedEarly, durable) : undefined;
        const asset = assetRecord(file.fileName, digests);
        const origin: VersionOrigin = { domainEntryPoint: { externalConnectionName: external.connectionName }, originType: 'EXTERNAL' };
        const addition = { version: file.version, asset, origin, update: pom ? (draft: VersionDraft) => applyPomFields(draft, pom.fields) : undefined };
        // Two index files when the connection is on an upstream of the repository asked: written
        // side by side and flushed while the blob is, each renamed in place once the blob is
        // durable, the asked repository's only once the holder's is (never when the holder refused).
        const askedKey = packageKey(context, file.groupId, file.artifactId);
        const inHolder = retainAsset(store, holderKey, addition, durable);
        const inAsked =
          external.repository.name === context.repository.name ? inHolder : retainAsset(store, askedKey, addition, Promise.all([durable, inHolder]));
        const kept = await bothRetained(inHolder, inAsked);
        await durable;
        // A file kept before wins over what the registry sends now.
        return kept.assets.find((candidate) => candidate.name === asset.name) ?? asset;
      } finally {
        // Whatever failed, the blob's write is over before the lease may go.
        await durable.catch(() => undefined);
      }
    });
  } finally {
    early.release();
  }
}

interface ParsedBytes {
  sha256: string;
  pom: Pom | undefined;
}

/** The POM parsed from the early download's bytes, with their SHA-256 to tell whether they are the ones stored. Never rejects. */
async function earlyPom(early: EarlyDownload): Promise<ParsedBytes | undefined> {
  const bytes = await early.bytes;
  if (!bytes) return undefined;
  // Once the event loop has nothing else to run: the work queued before (the store's hashing
  // and its first file operation) goes first, and the parse fills the wait for it.
  await nextTurn();
  const pom = await readPomOffThread(bytes.toString('utf8')).catch(() => undefined);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), pom };
}

/** The stored POM: from the bytes parsed early when they are the stored ones, else read back from the store once `durable`. */
async function pomOf(store: Store, sha256: string, early: Promise<ParsedBytes | undefined>, durable: Promise<unknown>): Promise<Pom | undefined> {
  const parsed = await early;
  if (parsed?.sha256 === sha256) return parsed.pom;
  await durable;
  return readStoredPom(store, sha256).catch(() => undefined);
}

/** The digest the registry publishes beside the file, or undefined when it has none (or no file). */
async function fetchAnnouncedChecksum(context: RequestContext, fileUrl: string): Promise<ExpectedBlob | undefined> {
  for (const [suffix, algorithm] of ANNOUNCED) {
    const url = `${fileUrl}.${suffix}`;
    const response = await upstreamGet({ url, timeoutMs: context.deps.config.upstream.timeoutMs });
    if (response.statusCode === 404 || response.statusCode === 410) {
      await response.body.dump();
      continue;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UpstreamError(`The upstream registry answered ${response.statusCode} for ${redactUrl(url)}.`);
    }
    const text = await readUpstreamText(response, MAX_CHECKSUM_BYTES, url);
    const digest = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (!new RegExp(`^[0-9a-f]{${CHECKSUMS[algorithm].hexLength}}$`).test(digest)) {
      throw new UpstreamError(`The upstream registry sent a malformed checksum at ${redactUrl(url)}; nothing was fetched.`);
    }
    return { [algorithm]: digest };
  }
  return undefined;
}
