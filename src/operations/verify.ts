/**
 * verify: re-hashes every blob, checks that every index file under domains/ parses and has the
 * expected shape, and that every asset an index names has its blob with the recorded size and
 * digests. Nothing is changed; each problem is reported with the path it concerns.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { DIRECTORY_SEGMENT_MAX, storedSegment } from '../core/names.js';
import type { Store } from '../store/store.js';
import { listJsonFiles } from './index-files.js';
import { checkDomainShape, checkPackageShape, checkRepositoryShape, checkTokensShape, indexKindOf, type AssetReference } from './index-shapes.js';

export interface VerifyProblem {
  path: string;
  problem: string;
}

export interface VerifyReport {
  blobsChecked: number;
  indexesChecked: number;
  assetsChecked: number;
  problems: VerifyProblem[];
}

interface BlobFacts {
  size: number;
  /** Keyed by the names asset records use: SHA-256, SHA-1, SHA-512, MD5. */
  hashes: Record<string, string>;
}

const ALGORITHMS = { 'SHA-256': 'sha256', 'SHA-1': 'sha1', 'SHA-512': 'sha512', MD5: 'md5' } as const;

export async function verifyStore(store: Store, onProgress: (text: string) => void = () => undefined): Promise<VerifyReport> {
  const report: VerifyReport = { blobsChecked: 0, indexesChecked: 0, assetsChecked: 0, problems: [] };
  const blobs = new Map<string, BlobFacts>();
  onProgress('verify: hashing blobs');
  for await (const sha256 of store.blobs.list()) {
    const file = store.blobs.pathOf(sha256);
    const facts = await hashFile(file).catch((error: Error) => {
      report.problems.push({ path: file, problem: `cannot be read: ${error.message}` });
      return undefined;
    });
    if (++report.blobsChecked % 100 === 0) onProgress(`verify: hashed ${report.blobsChecked} blobs`);
    if (!facts) continue;
    blobs.set(sha256, facts);
    if (facts.hashes['SHA-256'] !== sha256)
      report.problems.push({ path: file, problem: `content does not match its name: its SHA-256 is ${facts.hashes['SHA-256']}` });
  }

  const domainsDir = path.join(store.root, 'domains');
  for await (const file of listJsonFiles(domainsDir)) {
    if (++report.indexesChecked % 100 === 0) onProgress(`verify: checked ${report.indexesChecked} indexes`);
    const add = (problem: string) => report.problems.push({ path: file, problem });
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      add(`is not valid JSON (truncated or damaged): ${(error as Error).message}`);
      continue;
    }
    const relative = path.relative(domainsDir, file).split(path.sep);
    switch (indexKindOf(relative)) {
      case 'domain':
        checkDomainShape(value).forEach(add);
        break;
      case 'tokens':
        checkTokensShape(value).forEach(add);
        break;
      case 'repository':
        checkRepositoryShape(value).forEach(add);
        break;
      case 'package': {
        const { problems, assets } = checkPackageShape(value);
        problems.forEach(add);
        if (isNamedRecord(value)) checkLocation(value, relative).forEach(add);
        for (const asset of assets) {
          report.assetsChecked++;
          const problem = await checkAsset(store, blobs, asset);
          if (problem) add(problem);
        }
        break;
      }
      case 'other':
        break;
    }
  }
  return report;
}

function isNamedRecord(value: unknown): value is { format: string; namespace?: string; name: string } {
  const record = value as { format?: unknown; namespace?: unknown; name?: unknown } | null;
  return typeof record?.format === 'string' && typeof record.name === 'string' && (record.namespace === undefined || typeof record.namespace === 'string');
}

/** A package index must sit where its format, namespace and name say it does. */
function checkLocation(record: { format: string; namespace?: string; name: string }, relative: string[]): string[] {
  const [, , , , format, namespace, file] = relative;
  const expectedNamespace = record.namespace === undefined ? '_' : storedSegment(record.namespace, DIRECTORY_SEGMENT_MAX);
  if (format === record.format && namespace === expectedNamespace && file === `${storedSegment(record.name)}.json`) return [];
  return [`holds package ${record.format}/${record.namespace ?? ''}/${record.name}, which belongs elsewhere`];
}

async function checkAsset(store: Store, blobs: Map<string, BlobFacts>, asset: AssetReference): Promise<string | undefined> {
  const sha256 = asset.hashes['SHA-256'];
  const label = `version ${asset.version} asset ${asset.name}`;
  if (!/^[0-9a-f]{64}$/.test(sha256)) return `${label} has an invalid SHA-256 ${JSON.stringify(sha256)}`;
  let facts = blobs.get(sha256);
  // A blob stored after the blob pass (a publish running meanwhile) is hashed now.
  if (!facts && (await store.blobs.size(sha256)) !== undefined) facts = await hashFile(store.blobs.pathOf(sha256)).catch(() => undefined);
  if (!facts) return `${label}: its blob ${store.blobs.pathOf(sha256)} is missing`;
  if (facts.hashes['SHA-256'] !== sha256) return `${label}: its blob ${store.blobs.pathOf(sha256)} is damaged`;
  if (facts.size !== asset.size) return `${label} records ${asset.size} bytes but its blob has ${facts.size}`;
  for (const name of Object.keys(ALGORITHMS)) {
    const recorded = asset.hashes[name];
    if (recorded !== undefined && recorded !== facts.hashes[name]) return `${label} records a ${name} that does not match its blob`;
  }
  return undefined;
}

async function hashFile(file: string): Promise<BlobFacts> {
  const hashes = Object.entries(ALGORITHMS).map(([name, algorithm]) => [name, createHash(algorithm)] as const);
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    for (const [, hash] of hashes) hash.update(chunk);
  }
  return { size, hashes: Object.fromEntries(hashes.map(([name, hash]) => [name, hash.digest('hex')])) };
}
