/**
 * pip and twine against `artifact-cli serve` whose store is on a real disk that is full (a tiny
 * tmpfs; needs root, which CI has): a cold wheel through the public connection and an upload
 * are refused with the store's words on the status line these clients print, and both work
 * once space is freed.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel } from '../helpers/pypi-dist.js';
import { findPythonClients, setupPypiClients, type PypiClientsSetup } from '../helpers/pypi-clients.js';
import { mountTinyTmpfs } from '../helpers/tiny-tmpfs.js';

const clients = findPythonClients();
const disk = clients.python && clients.twine ? mountTinyTmpfs('16m', 'pip and twine on a full disk') : undefined;
afterAll(() => disk?.unmount());

const FULL = 'The store has no space left on its device.';

describe.skipIf(!disk)('pip and twine on a store whose disk is full', () => {
  let setup: PypiClientsSetup;
  beforeAll(async () => {
    setup = await setupPypiClients({ root: path.join(disk!.dir, 'store') });
    setup.index.add({ name: 'cold-dep', version: '1.0' });
  });
  afterAll(async () => {
    await setup?.server.stop();
    await setup?.index.close();
  });

  it('tells pip (a cold wheel) and twine (an upload) that the store is full, in words, and serves both once space is freed', async () => {
    const out = path.join(setup.home, 'downloads');
    const download = ['-m', 'pip', 'download', '--no-deps', '--retries', '0', '-d', out, 'cold-dep==1.0'];
    const [wheel] = setup.writeDists(buildWheel({ name: 'own-pkg', version: '1.0' }));
    const upload = ['upload', '--non-interactive', '--repository', 'codeartifact', wheel];
    const filler = disk!.fill();

    const pip = await setup.run('python3', download);
    expect(pip.code).not.toBe(0);
    expect(`${pip.stdout}${pip.stderr}`).toContain(`507 Server Error: ${FULL}`);
    const twine = await setup.run('twine', upload);
    expect(twine.code).not.toBe(0);
    expect(`${twine.stdout}${twine.stderr}`).toMatch(/507/);
    expect(`${twine.stdout}${twine.stderr}`).toContain(FULL);
    for (const output of [pip, twine]) expect(`${output.stdout}${output.stderr}`).not.toContain(setup.root);

    rmSync(filler);
    await setup.runOk('python3', download);
    expect(existsSync(path.join(out, 'cold_dep-1.0-py3-none-any.whl'))).toBe(true);
    await setup.runOk('twine', upload);
  });
});
