import { appendFileSync, existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageScope } from '../../src/store/change-marker.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const record = (description: string) => ({ name: 'repo', description });

/** A server's store and another process's on one root; with a description, the other has written repository acme/repo. */
async function twoStores(description?: string) {
  const root = makeTempDir('artifact-cli-marker-');
  const server = openStore(root);
  const other = openStore(root);
  if (description !== undefined) await other.index.updateRepository('acme', 'repo', () => record(description) as never);
  return { root, server, other };
}

describe('the change marker', () => {
  it('grows by one byte with every index write, from any store on the root', async () => {
    const root = makeTempDir('artifact-cli-marker-');
    const a = openStore(root);
    const b = openStore(root);
    expect(existsSync(path.join(root, 'changes'))).toBe(false);
    await a.index.updateRepository('acme', 'repo', () => record('one') as never);
    await b.index.updateRepository('acme', 'repo', () => record('two') as never);
    await b.index.updateRepository('acme', 'repo', () => undefined);
    expect(statSync(path.join(root, 'changes')).size).toBe(3);
  });

  it('lets a sampling reader skip the stat until the next sample, which sees another store’s write', async () => {
    const { server, other } = await twoStores('before');
    server.changes.sample();
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('before');

    await other.index.updateRepository('acme', 'repo', () => record('after') as never);
    // Same epoch: the parsed copy is trusted without looking at the disk.
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('before');
    server.changes.sample();
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('after');
  });

  it('samples at most once per event-loop turn, and again in the next turn', async () => {
    const { root, server, other } = await twoStores('before');
    server.changes.sampleThisTurn();
    const first = server.changes.epoch;
    await other.index.updateRepository('acme', 'repo', () => record('after') as never);
    // The awaited write finished in a later turn, so this call looks at the disk again.
    server.changes.sampleThisTurn();
    expect(server.changes.epoch).toBeGreaterThan(first!);
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('after');
    // Within one turn a second call does not look again (another process appending now).
    const second = server.changes.epoch;
    appendFileSync(path.join(root, 'changes'), '.');
    server.changes.sampleThisTurn();
    expect(server.changes.epoch).toBe(second);
    await new Promise((resolve) => setImmediate(resolve));
    server.changes.sampleThisTurn();
    expect(server.changes.epoch).toBeGreaterThan(second!);
    server.changes.close();
  });

  it('keeps its caches through its own file writes, but not through another store’s or a removed repository', async () => {
    const { root, server, other } = await twoStores('one');
    server.changes.sample();
    const { epoch, foreignEpoch } = server.changes;
    await server.index.updateRepository('acme', 'other', () => record('mine') as never);
    server.changes.sample();
    // Answers built from the indexes must go; files already read need no new stat.
    expect(server.changes.epoch).toBeGreaterThan(epoch!);
    expect(server.changes.foreignEpoch).toBe(foreignEpoch);
    expect((await server.index.getRepository('acme', 'other'))?.description).toBe('mine');

    await other.index.updateRepository('acme', 'repo', () => record('two') as never);
    await server.index.updateRepository('acme', 'other', () => record('mine again') as never);
    // One byte of ours and one of theirs: the size alone tells the sample someone else wrote.
    server.changes.sample();
    expect(server.changes.foreignEpoch).toBeGreaterThan(foreignEpoch!);
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('two');

    const before = server.changes.foreignEpoch!;
    await server.index.removeRepository('acme', 'repo');
    expect(server.changes.foreignEpoch).toBeGreaterThan(before);
    expect(await server.index.getRepository('acme', 'repo')).toBeUndefined();
    expect(statSync(path.join(root, 'changes')).size).toBe(5);
    server.changes.close();
  });

  it("tells its own writes of one package's index apart: they move that package on, not the shared epoch", async () => {
    const { server, other } = await twoStores('one');
    server.changes.sample();
    const { sharedEpoch } = server.changes;
    const leftPad = { domain: 'acme', repository: 'repo', format: 'npm' as const, name: 'left-pad' };
    const scope = packageScope(leftPad);
    expect(server.changes.packageChangedAt(scope)).toBe(0);
    await server.index.updatePackage(leftPad, () => ({ name: 'left-pad' }) as never);
    expect(server.changes.sharedEpoch).toBe(sharedEpoch);
    expect(server.changes.packageChangedAt(scope)).toBe(server.changes.epoch);
    // The same name in another repository of the domain is the same package; another name is not.
    const before = server.changes.packageChangedAt(scope);
    await server.index.updatePackage({ ...leftPad, repository: 'other' }, () => ({ name: 'left-pad' }) as never);
    expect(server.changes.packageChangedAt(scope)).toBeGreaterThan(before);
    expect(server.changes.packageChangedAt(packageScope({ ...leftPad, name: 'right-pad' }))).toBe(0);
    expect(server.changes.packageChangedAt(packageScope({ ...leftPad, namespace: 'left' }))).toBe(0);
    // Any other file of its own, and any write of another process's, moves the shared epoch.
    await server.index.updateRepository('acme', 'repo', () => record('mine') as never);
    expect(server.changes.sharedEpoch).toBeGreaterThan(sharedEpoch!);
    const afterOwn = server.changes.sharedEpoch!;
    server.changes.sample();
    expect(server.changes.sharedEpoch).toBe(afterOwn);
    await other.index.updatePackage({ ...leftPad, name: 'right-pad' }, () => ({ name: 'right-pad' }) as never);
    server.changes.sample();
    expect(server.changes.sharedEpoch).toBeGreaterThan(afterOwn);
    server.changes.close();
  });

  it('remembers a missing file only until the next change', async () => {
    const { server, other } = await twoStores();
    server.changes.sample();
    expect(await server.index.getRepository('acme', 'repo')).toBeUndefined();
    await other.index.updateRepository('acme', 'repo', () => record('new') as never);
    server.changes.sample();
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('new');
  });

  it('sees its own writes at once, and a reader that never samples checks the disk on every read', async () => {
    const root = makeTempDir('artifact-cli-marker-');
    const server = openStore(root);
    const cli = openStore(root);
    server.changes.sample();
    await server.index.updateRepository('acme', 'repo', () => record('mine') as never);
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('mine');

    expect((await cli.index.getRepository('acme', 'repo'))?.description).toBe('mine');
    await server.index.updateRepository('acme', 'repo', () => record('again') as never);
    expect((await cli.index.getRepository('acme', 'repo'))?.description).toBe('again');
  });

  it('still sees changes after the marker file was deleted while a server held it open', async () => {
    const { root, server, other } = await twoStores('one');
    server.changes.sample();
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('one');
    rmSync(path.join(root, 'changes'));
    await other.index.updateRepository('acme', 'repo', () => record('two') as never);
    server.changes.sample();
    expect((await server.index.getRepository('acme', 'repo'))?.description).toBe('two');
    server.changes.close();
  });
});
