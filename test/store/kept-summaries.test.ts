/**
 * KeptSummaries (src/store/kept-summaries.ts): what an update loads again, and that a change of
 * any kind shows in the next answer.
 */
import { describe, expect, it } from 'vitest';
import type { PackageKey, PackageRecord } from '../../src/core/model.js';
import { KeptSummaries, type SummaryRequest } from '../../src/store/kept-summaries.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function key(repository: string, name: string, namespace?: string): PackageKey {
  return { domain: 'dom', repository, format: 'npm', namespace, name };
}

/** A package record with a word to summarise (records keep fields they do not know). */
type Described = PackageRecord & { description: string };

async function put(store: Store, packageKey: PackageKey, description: string): Promise<void> {
  await store.index.updatePackage(packageKey, (): Described => ({
    format: packageKey.format,
    namespace: packageKey.namespace,
    name: packageKey.name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
    versions: {},
    description,
  }));
}

/** A summary of each package's description along the chain app -> team, and the names loaded. */
function describing(store: Store, options: { validMs?: number; failOn?: string; delayMs?: number } = {}) {
  const loaded: string[] = [];
  const request: SummaryRequest<string, string[]> = {
    key: 'dom/app',
    domain: 'dom',
    format: 'npm',
    chain: () => Promise.resolve(['app', 'team']),
    async load(ref) {
      loaded.push(ref.name);
      if (ref.name === options.failOn) throw new Error('cannot read');
      // A slow load, so that concurrent updates would overlap if they could.
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      for (const repository of ['app', 'team']) {
        const record = (await store.index.getPackage({ domain: 'dom', repository, ...ref })) as Described | undefined;
        if (record) return { value: `${ref.namespace ?? ''}/${ref.name}=${record.description}`, validUntil: Date.now() + (options.validMs ?? 60_000) };
      }
      return { value: `${ref.name}=gone`, validUntil: 0 };
    },
    combine: (summaries) => [...summaries.values()].sort(),
  };
  return { loaded, request };
}

/** A sampling store (as the server's) over a root whose change marker exists already. */
async function sampling(root: string): Promise<Store> {
  await put(openStore(root), key('elsewhere', 'x'), 'marker');
  const store = openStore(root);
  store.changes.sampleThisTurn();
  return store;
}

async function nextTurn(store: Store): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  store.changes.sampleThisTurn();
}

describe('KeptSummaries', () => {
  it('loads every package once, then only those changed here, added or removed', async () => {
    const store = await sampling(makeTempDir());
    await put(store, key('app', 'a'), 'one');
    await put(store, key('team', 'b'), 'two');
    await put(store, key('team', 'c', '@s'), 'three');
    await put(store, key('team', 'e'), 'seven');
    const kept = new KeptSummaries<string, string[]>(4);
    const { loaded, request } = describing(store);
    const first = await kept.read(store, request);
    expect(first).toEqual(['/a=one', '/b=two', '/e=seven', '@s/c=three']);
    expect(loaded.sort()).toEqual(['a', 'b', 'c', 'e']);

    loaded.length = 0;
    expect(await kept.read(store, request)).toBe(first);
    expect(loaded).toEqual([]);

    await put(store, key('team', 'c', '@s'), 'four');
    await put(store, key('app', 'd'), 'five');
    await put(store, key('app', 'a'), 'six');
    await store.index.updatePackage(key('team', 'b'), () => undefined);
    await nextTurn(store);
    expect(await kept.read(store, request)).toEqual(['/a=six', '/d=five', '/e=seven', '@s/c=four']);
    expect(loaded.sort()).toEqual(['a', 'c', 'd']);
  });

  it('starts afresh after another process writes, and loads a due package again', async () => {
    const root = makeTempDir();
    const store = await sampling(root);
    await put(store, key('app', 'a'), 'one');
    await put(store, key('app', 'b'), 'two');
    const kept = new KeptSummaries<string, string[]>(4);
    const { loaded, request } = describing(store, { validMs: 50 });
    await kept.read(store, request);
    loaded.length = 0;
    await put(openStore(root), key('app', 'b'), 'three');
    await nextTurn(store);
    expect(await kept.read(store, request)).toEqual(['/a=one', '/b=three']);
    expect(loaded.sort()).toEqual(['a', 'b']);

    loaded.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await kept.read(store, request);
    expect(loaded.sort()).toEqual(['a', 'b']);
  });

  it('drops an update that failed, and runs one update at a time', async () => {
    const store = await sampling(makeTempDir());
    await put(store, key('app', 'a'), 'one');
    await put(store, key('app', 'b'), 'two');
    const kept = new KeptSummaries<string, string[]>(4);
    const failing = describing(store, { failOn: 'b' });
    await expect(kept.read(store, failing.request)).rejects.toThrow('cannot read');
    const { loaded, request } = describing(store, { delayMs: 20 });
    await kept.read(store, request);
    expect(loaded.sort()).toEqual(['a', 'b']);

    loaded.length = 0;
    await put(store, key('app', 'a'), 'three');
    await nextTurn(store);
    const answers = await Promise.all([kept.read(store, request), kept.read(store, request), kept.read(store, request)]);
    expect(answers[0]).toEqual(['/a=three', '/b=two']);
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
    expect(loaded).toEqual(['a']);
  });

  it('loads everything every time in a process that does not sample', async () => {
    const store = openStore(makeTempDir());
    await put(store, key('app', 'a'), 'one');
    const kept = new KeptSummaries<string, string[]>(4);
    const { loaded, request } = describing(store);
    await kept.read(store, request);
    await kept.read(store, request);
    expect(loaded).toEqual(['a', 'a']);
  });
});
