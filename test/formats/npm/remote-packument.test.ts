/** Big upstream packuments are read, checked, converted and written in slices. */
import { describe, expect, it } from 'vitest';
import { parseRemotePackument, remotePackageRecord } from '../../../src/formats/npm/remote-packument.js';
import { parsePackageName } from '../../../src/formats/npm/package-name.js';
import { renderCachedPackument } from '../../../src/formats/npm/packument-cache.js';
import { renderPackument } from '../../../src/formats/npm/packument.js';
import { buildPackageView } from '../../../src/formats/npm/package-view.js';
import { RenderedBody } from '../../../src/server/respond.js';
import { keptDocumentProblem } from '../../../src/upstream/document-checks.js';
import { freezeInSlices, stringifyInSlices } from '../../../src/upstream/slices.js';
import type { ExternalSource } from '../../../src/upstream/external.js';
import { parseJson } from '../../helpers/json.js';

const name = parsePackageName('big');
const source = { repository: { name: 'public' }, url: 'http://127.0.0.1:9/', connectionName: 'public:npmjs' } as unknown as ExternalSource;

function bigPackument(count: number): string {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const version = `1.${Math.floor(index / 100)}.${index % 100}`;
    versions[version] = {
      name: 'big',
      version,
      description: 'a package with many versions',
      dependencies: { a: '^1.0.0' },
      scripts: { test: 'x' },
      dist: { tarball: `http://127.0.0.1:9/big/-/big-${version}.tgz`, integrity: `sha512-${'A'.repeat(86)}==`, shasum: 'a'.repeat(40) },
    };
    time[version] = '2020-01-01T00:00:00.000Z';
  }
  return JSON.stringify({
    _id: 'big',
    name: 'big',
    readme: 'r'.repeat(100_000),
    'dist-tags': { latest: `1.${Math.floor((count - 1) / 100)}.${(count - 1) % 100}` },
    versions,
    time,
    modified: '2020-01-02T00:00:00.000Z',
  });
}

/** Runs `work` while a 5 ms timer measures the longest the event loop went without a turn. */
async function worstStall(work: () => Promise<unknown>): Promise<{ worst: number; took: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  await work();
  const took = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(timer);
  return { worst, took };
}

describe('big upstream packuments', () => {
  it('are read in slices to the same result as a small one is read at once', async () => {
    const text = bigPackument(20_000);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const sliced = await parseRemotePackument(text, name);
    const small = bigPackument(600);
    expect(small.length).toBeLessThan(1024 * 1024);
    const atOnce = await parseRemotePackument(small, name);
    expect(Object.keys(sliced.versions)).toHaveLength(20_000);
    expect(sliced.distTags).toEqual({ latest: '1.199.99' });
    expect(sliced.modified).toBe('2020-01-02T00:00:00.000Z');
    expect(sliced.versions['1.5.7']).toEqual(atOnce.versions['1.5.7']);
    expect(sliced.versions['1.5.7']).toEqual({
      manifest: { name: 'big', version: '1.5.7', description: 'a package with many versions', dependencies: { a: '^1.0.0' } },
      tarball: { url: 'http://127.0.0.1:9/big/-/big-1.5.7.tgz', integrity: `sha512-${'A'.repeat(86)}==`, shasum: 'a'.repeat(40) },
      time: '2020-01-01T00:00:00.000Z',
    });
  });

  it('refuses what JSON.parse would refuse, and leaves a __proto__ or constructor key out without touching a prototype', async () => {
    const text = bigPackument(6_000);
    await expect(parseRemotePackument(`${text.slice(0, -1)},}`, name)).rejects.toThrow(SyntaxError);
    await expect(parseRemotePackument(text.replace('"1.0.1":{', '"1.0.1":{,'), name)).rejects.toThrow(SyntaxError);
    await expect(parseRemotePackument(`${text} x`, name)).rejects.toThrow(SyntaxError);
    const entry = '{"version":"6.6.6","dist":{"tarball":"http://127.0.0.1:9/x.tgz"}}';
    const polluted = await parseRemotePackument(text.replace('"versions":{', `"versions":{"__proto__":${entry},"constructor":${entry},`), name);
    expect(Object.getPrototypeOf(polluted.versions)).toBe(Object.prototype);
    expect(Object.keys(polluted.versions)).toHaveLength(6_000);
    expect(Object.hasOwn(polluted.versions, 'constructor')).toBe(false);
    expect(await keptDocumentProblem(polluted)).toBeUndefined();
  });

  it('keep the event loop turning from reading to writing: no step holds it for long', async () => {
    const text = bigPackument(60_000);
    let written = '';
    let versions = 0;
    const { worst, took } = await worstStall(async () => {
      const packument = await parseRemotePackument(text, name);
      expect(await keptDocumentProblem(packument)).toBeUndefined();
      written = await stringifyInSlices({ url: 'u', fetchedAt: 1, document: packument });
      await freezeInSlices(packument);
      versions = Object.keys((await remotePackageRecord(name, packument, source)).versions).length;
    });
    expect(versions).toBe(60_000);
    expect(
      parseJson<{ document: { versions: Record<string, { manifest: { version: string } }> } }>(written).document.versions['1.599.99'].manifest.version,
    ).toBe('1.599.99');
    // At once, the whole of it is one turn of the event loop; in slices, turns come every few milliseconds (GC pauses aside).
    expect(worst).toBeLessThan(Math.max(500, took / 4));
  });

  it('render in slices to the very bytes a render at once gives, full and abbreviated', async () => {
    const packument = await parseRemotePackument(bigPackument(3_000), name);
    await freezeInSlices(packument);
    const sources = [{ repository: 'public', record: await remotePackageRecord(name, packument, source), external: source }];
    for (const abbreviated of [true, false]) {
      const sliced = await renderCachedPackument(name, sources, abbreviated, 'http://127.0.0.1:1/acme/npm/main/');
      const atOnce = RenderedBody.json(renderPackument(name, buildPackageView(sources), { abbreviated, endpoint: 'http://127.0.0.1:1/acme/npm/main/' }));
      expect(sliced.body.toString()).toBe(atOnce.body.toString());
    }
  });
});
