/**
 * An npm publish whose index write lands but whose mark in <root>/changes cannot be appended
 * (a full disk at a page boundary, an I/O error): the client is told it succeeded, since the
 * version is stored (a failure would make its retry meet a conflict); the server that took it
 * serves the new version at once; another server on the same root sees it through a new empty
 * marker, or, when even that fails, with the next append that succeeds; the log says so once.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { openStore } from '../../../src/store/store.js';
import { failChangeMarks } from '../../helpers/failing-change-marker.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { TEST_SERVER_OPTIONS } from '../../helpers/server-options.js';
import { startUpstreamHarness, type UpstreamHarness } from './upstream-harness.js';

const others: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(others.splice(0).map((server) => server.close(100)));
});

/** A second `serve` on the harness's root: another process as far as the store can tell. */
async function secondServer(h: UpstreamHarness): Promise<{ get(pathname: string): Promise<Response>; logs: string[] }> {
  const config = await loadConfig({ root: h.root }, {}, h.root);
  config.server.port = 0;
  const logs: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store: openStore(h.root), config, log: (line) => logs.push(line) });
  others.push(server);
  return { get: (pathname) => fetch(`${server.url}/acme/npm/team/${pathname}`, { headers: { authorization: `Bearer ${h.token}` } }), logs };
}

async function versionsOf(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  return Object.keys(((await response.json()) as { versions: Record<string, unknown> }).versions).sort();
}

const warningsIn = (logs: string[]) => logs.filter((line) => line.startsWith('warning: ') && line.includes('changes'));

/** Publishes 1.0.0 normally, and has both servers remember the packument that lists it alone. */
async function publishedOnce(name: string) {
  const h = await startUpstreamHarness();
  const other = await secondServer(h);
  expect((await h.publish('team', buildNpmTarball({ name, version: '1.0.0' }))).status).toBe(201);
  expect(await versionsOf(await h.get('team', name))).toEqual(['1.0.0']);
  expect(await versionsOf(await other.get(name))).toEqual(['1.0.0']);
  // Asked twice: the second answer is the remembered one.
  expect(await versionsOf(await other.get(name))).toEqual(['1.0.0']);
  return { h, other, marker: path.join(h.root, 'changes') };
}

describe('a publish whose change cannot be marked', () => {
  it('succeeds, is served at once by its server, and another server sees it through a new empty marker', async () => {
    const name = 'unmarked-replaced';
    const { h, other, marker } = await publishedOnce(name);
    const before = statSync(marker);
    const disk = failChangeMarks(h.store, 'ENOSPC');
    try {
      expect((await h.publish('team', buildNpmTarball({ name, version: '1.0.1' }))).status).toBe(201);
      expect(await versionsOf(await h.get('team', name))).toEqual(['1.0.0', '1.0.1']);
      // A second failure in the same trouble is not logged again.
      expect((await h.publish('team', buildNpmTarball({ name, version: '1.0.2' }))).status).toBe(201);
      expect(disk.failures).toBe(2);
    } finally {
      disk.recover();
    }
    const after = statSync(marker);
    expect(after.ino).not.toBe(before.ino);
    expect(after.size).toBe(0);
    expect(await versionsOf(await other.get(name))).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    const listed = await h.store.index.getPackage({ domain: 'acme', repository: 'team', format: 'npm', name });
    expect(Object.keys(listed?.versions ?? {}).sort()).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    const warnings = warningsIn(h.logs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: could not append to .*changes \(ENOSPC: no space left on device, write\); replaced it with an empty file/);
  });

  it('succeeds when no marker can be made at all, and another server sees it with the next append that succeeds', async () => {
    const name = 'unmarked-held';
    const { h, other, marker } = await publishedOnce(name);
    const size = statSync(marker).size;
    const disk = failChangeMarks(h.store, 'EIO', { replaceFails: true });
    try {
      const answer = await h.publish('team', buildNpmTarball({ name, version: '1.1.0' }));
      expect(answer.status).toBe(201);
      expect(await answer.text()).not.toContain(h.root);
      expect(await versionsOf(await h.get('team', name))).toEqual(['1.0.0', '1.1.0']);
    } finally {
      disk.recover();
    }
    // Nothing reached the marker: the change is held back.
    expect(disk.failures).toBeGreaterThan(0);
    expect(statSync(marker).size).toBe(size);
    const warnings = warningsIn(h.logs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: could not mark an index change in .*changes \(EIO: i\/o error, write; replacing it: EIO/);
    expect(warnings[0]).toContain('The change is stored; other processes on this root may serve what they remembered until the next change is marked.');

    // The disk takes bytes again: the server's next request marks what it held back.
    expect(await versionsOf(await h.get('team', name))).toEqual(['1.0.0', '1.1.0']);
    expect(statSync(marker).size).toBe(size + 1);
    expect(h.logs).toContain('warning: index changes are marked again: other processes on this root now see the ones held back.');
    expect(await versionsOf(await other.get(name))).toEqual(['1.0.0', '1.1.0']);
    expect(await h.store.index.getPackage({ domain: 'acme', repository: 'team', format: 'npm', name })).toMatchObject({ versions: { '1.1.0': {} } });
  });
});
