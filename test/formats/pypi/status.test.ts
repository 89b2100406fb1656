/**
 * Version status on the wire: Published is listed; Unlisted is listed as yanked (PEP 592) and
 * still downloads; Archived and Unfinished are neither listed nor served; Disposed files are gone.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposePackageVersions, updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { buildWheel } from '../../helpers/pypi-dist.js';
import { DOMAIN, startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth, uploadDist } from '../../helpers/pypi-upload.js';
import { parseJson } from '../../helpers/json.js';
import type { ProjectPageJson } from './project-page-json.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const key = { domain: DOMAIN, repository: 'hosted', format: 'pypi' as const, name: 'status-pkg' };
const wheels = Object.fromEntries(['1.0', '2.0', '3.0', '4.0', '5.0'].map((version) => [version, buildWheel({ name: 'status-pkg', version })]));

let server: PypiTestServer;

async function get(path: string, accept = JSON_TYPE) {
  const response = await request(`${server.endpoint('hosted')}${path}`, { headers: { authorization: basicAuth(server.token), accept } });
  return { status: response.statusCode, text: await response.body.text() };
}

beforeAll(async () => {
  server = await startPypiServer({ repositories: [{ name: 'hosted' }] });
  for (const [version, wheel] of Object.entries(wheels)) {
    expect((await uploadDist(server.endpoint('hosted'), server.token, wheel, 'status-pkg', version)).status).toBe(200);
  }
  await updatePackageVersionsStatus(server.store, key, { versions: ['2.0'], targetStatus: 'Unlisted' });
  await updatePackageVersionsStatus(server.store, key, { versions: ['3.0'], targetStatus: 'Archived' });
  await disposePackageVersions(server.store, key, { versions: ['4.0'] });
  await server.store.index.updatePackage(key, (current) => {
    const next = structuredClone(current!);
    next.versions['5.0'].status = 'Unfinished';
    return next;
  });
});
afterAll(() => server.close());

describe('PyPI status mapping', () => {
  it('lists Published, and Unlisted as yanked, in JSON and HTML', async () => {
    const page = parseJson<ProjectPageJson>((await get('simple/status-pkg/')).text);
    expect(page.versions).toEqual(['1.0', '2.0']);
    expect(page.files.map((file) => [file.filename, file.yanked])).toEqual([
      [wheels['1.0'].fileName, false],
      [wheels['2.0'].fileName, 'Unlisted in this repository'],
    ]);
    const html = (await get('simple/status-pkg/', 'text/html')).text;
    expect(html).toMatch(new RegExp(`<a href="2\\.0/${wheels['2.0'].fileName}#sha256=[0-9a-f]{64}"[^>]* data-yanked="Unlisted in this repository"`));
    expect(html).not.toContain(wheels['3.0'].fileName);
  });

  it('serves Unlisted files, and not those of Archived, Disposed or Unfinished versions', async () => {
    expect((await get(`simple/status-pkg/2.0/${wheels['2.0'].fileName}`)).status).toBe(200);
    for (const version of ['3.0', '4.0', '5.0']) {
      expect((await get(`simple/status-pkg/${version}/${wheels[version].fileName}`)).status, version).toBe(404);
      expect((await get(`simple/status-pkg/${version}/${wheels[version].fileName}.metadata`)).status, version).toBe(404);
    }
  });

  it('refuses a new file for an Archived version', async () => {
    const other = buildWheel({ name: 'status-pkg', version: '3.0', files: { 'status_pkg/other.py': '' } });
    const renamed = { ...other, fileName: other.fileName.replace('-py3-', '-1-py3-') };
    const before = await server.snapshot();
    const result = await uploadDist(server.endpoint('hosted'), server.token, renamed, 'status-pkg', '3.0');
    expect(result.status).toBe(409);
    expect(result.reason).toMatch(/is Archived; no files can be added/);
    expect(await server.snapshot()).toEqual(before);
  });
});
