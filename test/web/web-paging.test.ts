/**
 * The package list pages, filters and sorts on the server (the browser's script only swaps the
 * results in): 120 packages written through the store API, read with plain HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRecord } from '../../src/core/model.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';

let running: InProcessServer;
const COUNT = 120;

function record(name: string, index: number): PackageRecord {
  const version = '1.0.0';
  return {
    format: 'npm',
    name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    formatMetadata: { 'dist-tags': { latest: version } },
    versions: {
      [version]: {
        version,
        status: 'Published',
        revision: `r${index}`,
        // The lower the number, the later the publish: "last published" reverses the name order.
        publishedTime: new Date(Date.UTC(2026, 0, 1) - index * 60_000).toISOString(),
        origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
        assets: [],
      },
    },
  };
}

beforeAll(async () => {
  running = await startInProcessServer({ tempPrefix: 'artifact-cli-web-paging-', configure: (config) => (config.server.allowAnonymousRead = true) });
  for (let i = 0; i < COUNT; i++) {
    const name = `pkg-${String(i).padStart(3, '0')}`;
    await running.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name }, () => record(name, i));
  }
});

afterAll(async () => {
  await running?.server.close();
});

async function page(query: string): Promise<{ names: string[]; text: string }> {
  const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main${query}`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const text = await response.text();
  const results = text.slice(text.indexOf('id="package-results"'));
  return { names: [...results.matchAll(/packages\/npm\/(pkg-\d+)"/g)].map((match) => match[1]), text: results };
}

describe('the package list', () => {
  it('shows 50 packages a page, with links to the next and previous pages', async () => {
    const first = await page('');
    expect(first.names).toHaveLength(50);
    expect(first.names[0]).toBe('pkg-000');
    expect(first.text).toContain('120 packages, page 1 of 3');
    expect(first.text).toContain('href="/-/ui/domains/acme/repositories/main?page=2" rel="next"');
    const last = await page('?page=3');
    expect(last.names).toEqual(Array.from({ length: 20 }, (_, i) => `pkg-${100 + i}`));
    expect(last.text).toContain('rel="prev"');
    expect(last.text).not.toContain('rel="next"');
    // A page past the end is empty, not an error.
    expect((await page('?page=99')).names).toEqual([]);
  });

  it('sorts by last publish and filters by name, keeping the filters in the page links', async () => {
    expect((await page('?sort=published')).names.slice(0, 3)).toEqual(['pkg-000', 'pkg-001', 'pkg-002']);
    expect((await page('?sort=published&page=3')).names.at(-1)).toBe('pkg-119');
    const filtered = await page('?name=PKG-1&sort=published');
    expect(filtered.text).toContain('20 packages match');
    expect(filtered.names[0]).toBe('pkg-100');
    expect((await page('?name=pkg-1&format=npm&page=1')).names).toHaveLength(20);
    expect((await page('?name=nothing-like-it')).text).toContain('No packages match these filters');
    const multi = await page('?name=pkg&sort=published');
    expect(multi.text).toContain('href="/-/ui/domains/acme/repositories/main?name=pkg&amp;sort=published&amp;page=2" rel="next"');
  });

  it('sees a package published after the list was first shown', async () => {
    await page('');
    await running.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'aaa-new' }, () => record('aaa-new', -1));
    const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main`, { headers: { accept: 'text/html' } });
    const text = await response.text();
    expect(text).toContain('121 packages');
    expect(text).toContain('packages/npm/aaa-new"');
  });

  it('reads a repository for its list one index at a time, and after a publish parses only the new index', async () => {
    const index = running.store.index;
    const summarizePackage = index.summarizePackage.bind(index);
    let inFlight = 0;
    let mostAtOnce = 0;
    const asked: string[] = [];
    const parsed: string[] = [];
    index.summarizePackage = (key, kind, summarize) => {
      asked.push(key.name);
      inFlight++;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      const counted: typeof summarize = (record) => {
        parsed.push(key.name);
        return summarize(record);
      };
      // Counted as done only once the caller resumes, so reads started together all count.
      return summarizePackage(key, kind, counted).finally(() => inFlight--);
    };
    try {
      // A change, so the list kept from the tests above is made again.
      await running.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'zzz-new' }, () => record('zzz-new', 500));
      const first = await page('?page=3');
      expect(first.text).toContain('122 packages, page 3 of 3');
      // aaa-new (from the test above) comes first, so page 3 is pkg-099 to pkg-119 and zzz-new.
      expect(first.names).toEqual(Array.from({ length: 21 }, (_, i) => `pkg-${String(99 + i).padStart(3, '0')}`));
      expect(first.text).toContain('packages/npm/zzz-new"');
      expect(asked).toHaveLength(122);
      expect(new Set(asked).size).toBe(122);
      expect(mostAtOnce).toBe(1);
      // The other 121 indexes are unchanged since the earlier tests listed them.
      expect(parsed).toEqual(['zzz-new']);
      // Paging, sorting and filtering then read no index at all.
      await page('?sort=published&page=2');
      await page('?name=pkg-11');
      expect(asked).toHaveLength(122);
      // A changed index is parsed again, and its new latest version shows.
      await running.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'pkg-050' }, (current) => ({
        ...current!,
        versions: { ...current!.versions, '2.0.0': { ...current!.versions['1.0.0'], version: '2.0.0', publishedTime: '2026-02-01T00:00:00.000Z' } },
      }));
      const changed = await page('?name=pkg-050');
      expect(changed.text).toContain('>2.0.0<');
      expect(parsed).toEqual(['zzz-new', 'pkg-050']);
    } finally {
      index.summarizePackage = summarizePackage;
    }
  });
});
