/**
 * The list of stored gems a server keeps for /versions, /names and the spec lists
 * (src/formats/ruby/stored-gems.ts): what a request loads again, and that every kind of change
 * still shows in the next list.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deletePackage } from '../../../src/operations/packages.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { openStore } from '../../../src/store/store.js';
import { startFakeRubygems, type FakeRubygems } from '../../helpers/fake-rubygems.js';
import { buildGem } from '../../helpers/ruby-gem.js';
import { DOMAIN, getWithToken, pushGem, startRubyServer, type RubyTestServer } from '../../helpers/ruby-server.js';

const GEMS = 40;
let registry: FakeRubygems;
let hosted: RubyTestServer;

beforeAll(async () => {
  registry = await startFakeRubygems();
  hosted = await startRubyServer({ repositories: [{ name: 'app', upstreams: ['team'] }, { name: 'team' }] });
  for (let i = 0; i < GEMS; i++) {
    const pushed = await pushGem(hosted, i % 2 ? 'app' : 'team', buildGem({ name: `listed_${String(i).padStart(2, '0')}`, version: '1.0.0' }).bytes);
    expect(pushed.status).toBe(200);
  }
});

afterAll(async () => {
  await registry.close();
});

async function versionsOf(server: RubyTestServer, repository = 'app'): Promise<string> {
  const answer = await getWithToken(server, `${server.endpoint(repository)}versions`);
  expect(answer.status).toBe(200);
  return answer.text();
}

/** The package records read while `work` runs. */
async function packageReads(server: RubyTestServer, work: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(server.store.index, 'getPackage');
  try {
    await work();
    return spy.mock.calls.map(([key]) => `${key.repository}/${key.name}`);
  } finally {
    spy.mockRestore();
  }
}

describe('the list of stored gems', () => {
  it('loads again only the gems this server changed since the last list', async () => {
    expect(await versionsOf(hosted)).toMatch(/\nlisted_39 1\.0\.0 [0-9a-f]{32}\n$/);
    // Nothing changed: no gem is loaded again.
    expect(await packageReads(hosted, () => versionsOf(hosted))).toEqual([]);

    // listed_08 is in the upstream only; newcomer, published here, blocks upstream versions.
    expect((await pushGem(hosted, 'team', buildGem({ name: 'listed_08', version: '1.1.0' }).bytes)).status).toBe(200);
    expect((await pushGem(hosted, 'app', buildGem({ name: 'newcomer', version: '0.1.0' }).bytes)).status).toBe(200);
    let text = '';
    const reads = await packageReads(hosted, async () => (text = await versionsOf(hosted)));
    expect(text).toMatch(/\nlisted_08 1\.0\.0,1\.1\.0 [0-9a-f]{32}\n/);
    expect(text).toMatch(/\nnewcomer 0\.1\.0 [0-9a-f]{32}\n/);
    // The changed gems along the chain, not the 40 others.
    expect([...new Set(reads)].sort()).toEqual(['app/listed_08', 'app/newcomer', 'team/listed_08']);
  });

  it('shows a yank, and a gem that is gone from the chain', async () => {
    expect((await pushGem(hosted, 'app', buildGem({ name: 'listed_03', version: '2.0.0' }).bytes)).status).toBe(200);
    expect(await versionsOf(hosted)).toMatch(/\nlisted_03 1\.0\.0,2\.0\.0 /);
    const yank = await fetch(`${hosted.endpoint('app')}api/v1/gems/yank`, {
      method: 'DELETE',
      headers: { authorization: hosted.token, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'gem_name=listed_03&version=2.0.0',
    });
    expect(yank.status).toBe(200);
    expect(await versionsOf(hosted)).toMatch(/\nlisted_03 1\.0\.0 /);

    await deletePackage(hosted.store, { domain: DOMAIN, repository: 'team', format: 'ruby', name: 'listed_04' });
    const text = await versionsOf(hosted);
    expect(text).not.toContain('listed_04');
    expect(await (await getWithToken(hosted, `${hosted.endpoint('app')}names`)).text()).not.toContain('listed_04');
  });

  it('sees the change another process makes on the same root', async () => {
    await versionsOf(hosted);
    const other = openStore(hosted.root);
    await updatePackageVersionsStatus(
      other,
      { domain: DOMAIN, repository: 'app', format: 'ruby', name: 'listed_09' },
      { versions: ['1.0.0'], targetStatus: 'Unlisted' },
    );
    expect(await versionsOf(hosted)).not.toContain('listed_09');
  });

  it('gives concurrent requests the same, complete list', async () => {
    expect((await pushGem(hosted, 'app', buildGem({ name: 'listed_11', version: '1.2.0' }).bytes)).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 5 }, () => versionsOf(hosted)));
    for (const text of answers) expect(text).toMatch(/\nlisted_11 1\.0\.0,1\.2\.0 /);
    expect(new Set(answers).size).toBe(1);
  });
});

describe("a stored gem's public versions", () => {
  it("asks the registry again once the gem's file is due, not on every list", async () => {
    registry.add({ name: 'mixed', version: '0.9.0' });
    registry.add({ name: 'mixed', version: '1.0.0' });
    const server = await startRubyServer({
      repositories: [
        { name: 'app', upstreams: ['store'] },
        { name: 'store', external: true },
      ],
      publicUrl: registry.url,
      metadataMaxAgeSeconds: 2,
    });
    // Fetched from the registry, so stored here with upstream versions allowed.
    expect((await getWithToken(server, `${server.endpoint('app')}gems/mixed-0.9.0.gem`)).status).toBe(200);
    expect(await versionsOf(server)).toMatch(/\nmixed 0\.9\.0,1\.0\.0 [0-9a-f]{32}\n/);
    const asked = () => registry.requests.filter((request) => request === 'GET /info/mixed').length;
    const before = asked();
    registry.add({ name: 'mixed', version: '1.1.0' });
    // Within the freshness period the kept list stands, without asking the registry.
    expect(await versionsOf(server)).toMatch(/\nmixed 0\.9\.0,1\.0\.0 /);
    expect(asked()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await versionsOf(server)).toMatch(/\nmixed 0\.9\.0,1\.0\.0,1\.1\.0 /);
    expect(asked()).toBe(before + 1);
  });

  it("asks the registry again on the next list when it failed to say a stored gem's versions", async () => {
    registry.add({ name: 'flaky', version: '1.0.0' });
    let down = false;
    // The registry behind a switch: down, it answers 503 for info files.
    const front = createServer((req, res) => {
      if (down && req.url?.startsWith('/info/')) return void res.writeHead(503).end();
      void fetch(`${registry.url}${(req.url ?? '/').slice(1)}`).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const server = await startRubyServer({
        repositories: [
          { name: 'app', upstreams: ['store'] },
          { name: 'store', external: true },
        ],
        publicUrl: `http://127.0.0.1:${(front.address() as AddressInfo).port}/`,
        metadataMaxAgeSeconds: 300,
      });
      expect((await getWithToken(server, `${server.endpoint('app')}gems/flaky-1.0.0.gem`)).status).toBe(200);
      registry.add({ name: 'flaky', version: '1.1.0' });
      // The kept registry file goes, and another process writes: the server reads its files again.
      down = true;
      rmSync(path.join(server.root, 'domains', DOMAIN, 'repositories', 'store', 'external', 'ruby', '_', 'flaky.json'));
      await getAuthorizationToken(openStore(server.root), { domain: DOMAIN });
      expect(await versionsOf(server)).toMatch(/\nflaky 1\.0\.0 [0-9a-f]{32}\n/);
      down = false;
      expect(await versionsOf(server)).toMatch(/\nflaky 1\.0\.0,1\.1\.0 [0-9a-f]{32}\n/);
    } finally {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    }
  });
});
