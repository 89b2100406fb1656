/**
 * A CLI write on a real full disk (a tiny tmpfs) whose index file landed in the last free page,
 * so that the one byte it appends to <root>/changes finds none: the command succeeds (the change
 * is stored), says on stderr that the marker was replaced, and a server-like reader of the same
 * root sees the change through the new, empty marker.
 */
import { appendFileSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { openStore } from '../../src/store/store.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { mountTinyTmpfs } from '../helpers/tiny-tmpfs.js';

const PAGE = 4096;
const disk = mountTinyTmpfs('2m', 'a change marker that finds no room after its index write');
afterAll(() => disk?.unmount());

describe.skipIf(!disk)('a change marker on a full disk', () => {
  it('does not fail the CLI write that landed: it replaces the marker, warns once on stderr, and the change is seen', async () => {
    const root = disk!.dir;
    const setup = openStore(root);
    await createDomain(setup, { domain: 'acme' });
    await createRepository(setup, { domain: 'acme', repository: 'main' });
    // A server's view of the root, sampling the marker as a running `serve` does.
    const server = openStore(root, { warn: () => undefined });
    server.changes.sample();
    expect(await server.index.getRepository('acme', 'second')).toBeUndefined();

    // The marker ends on a page boundary; the disk keeps two pages: the command's lock holder
    // file and its new repository.json take them, and its byte for the marker finds none.
    const marker = path.join(root, 'changes');
    appendFileSync(marker, Buffer.alloc(PAGE - (statSync(marker).size % PAGE), '.'));
    const markerBefore = statSync(marker);
    const filler = disk!.fill();
    truncateSync(filler, statSync(filler).size - 2 * PAGE);

    const result = await runCli(['create-repository', '--domain', 'acme', '--repository', 'second'], { root });
    expect(result.stderr).toMatch(/^warning: could not append to .*changes \(ENOSPC: no space left on device, write\); replaced it with an empty file/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ repository: { name: 'second' } });
    const markerAfter = statSync(marker);
    expect(markerAfter.ino).not.toBe(markerBefore.ino);
    expect(markerAfter.size).toBe(0);

    server.changes.sample();
    expect((await server.index.getRepository('acme', 'second'))?.name).toBe('second');
    const listed = await runCliJson<{ repositories: { name: string }[] }>(['list-repositories'], { root });
    expect(listed.repositories.map((repository) => repository.name).sort()).toEqual(['main', 'second']);
    server.changes.close();
  });
});
