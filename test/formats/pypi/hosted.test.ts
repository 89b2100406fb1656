/** Upload, project pages and downloads of a hosted repository, over real HTTP. */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel } from '../../helpers/pypi-dist.js';
import { startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth, uploadDist } from '../../helpers/pypi-upload.js';
import { parseJson } from '../../helpers/json.js';
import type { ProjectFileJson, ProjectPageJson } from './project-page-json.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

let server: PypiTestServer;

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers: { authorization: basicAuth(server.token), ...headers } });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, body };
}

beforeAll(async () => {
  server = await startPypiServer({ repositories: [{ name: 'hosted' }] });
});
afterAll(() => server.close());

describe('hosted PyPI repository', () => {
  const spec = { name: 'Demo_Pkg', version: '1.0', requiresPython: '>=3.8', requiresDist: ['requests (>=2.0)', 'idna; python_version < "4"'] };
  const wheel = buildWheel(spec);
  const sdist = buildSdist(spec);

  it('accepts a wheel, then the sdist of the same version, and files a re-upload of identical bytes as a no-op', async () => {
    const endpoint = server.endpoint('hosted');
    expect(await uploadDist(endpoint, server.token, wheel, 'Demo-Pkg', '1.0')).toMatchObject({ status: 200 });
    expect(await uploadDist(`${endpoint}legacy/`, server.token, sdist, 'Demo-Pkg', '1.0')).toMatchObject({ status: 200 });
    expect(await uploadDist(endpoint, server.token, wheel, 'Demo-Pkg', '1.0')).toMatchObject({ status: 200 });

    const record = await server.store.index.getPackage({ domain: 'acme', repository: 'hosted', format: 'pypi', name: 'demo-pkg' });
    const version = record?.versions['1.0'];
    expect(version?.assets.map((asset) => asset.name).sort()).toEqual([sdist.fileName, wheel.fileName, `${wheel.fileName}.metadata`].sort());
    expect(version?.origin.originType).toBe('INTERNAL');
    expect(version?.dependencies).toEqual([
      { dependencyType: 'requires-dist', package: 'requests', versionRequirement: '(>=2.0)' },
      { dependencyType: 'requires-dist', package: 'idna', versionRequirement: '; python_version < "4"' },
    ]);
    expect(version?.summary).toBe('Demo_Pkg for tests');
    expect(version?.readme).toContain('A package built by the tests.');
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
  });

  it('serves the project page as HTML with digests, requires-python and core metadata', async () => {
    const page = await get(`${server.endpoint('hosted')}simple/demo-pkg/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.body.toString();
    const metadataSha = createHash('sha256').update(wheel.metadata!).digest('hex');
    expect(html).toContain(`<a href="1.0/${wheel.fileName}#sha256=${wheel.sha256}" data-requires-python="&gt;=3.8" data-core-metadata="sha256=${metadataSha}"`);
    expect(html).toContain(`<a href="1.0/${sdist.fileName}#sha256=${sdist.sha256}" data-requires-python="&gt;=3.8">`);
  });

  it('serves the project page as PEP 691 JSON when asked, with versions and sizes', async () => {
    const page = await get(`${server.endpoint('hosted')}simple/demo-pkg/`, { accept: `${JSON_TYPE}, text/html;q=0.01` });
    expect(page.headers['content-type']).toBe(JSON_TYPE);
    expect(page.headers.vary).toContain('Accept');
    const document = parseJson<ProjectPageJson>(page.body);
    expect(document.meta['api-version']).toBe('1.1');
    expect(document.name).toBe('demo-pkg');
    expect(document.versions).toEqual(['1.0']);
    const file = document.files.find((entry) => entry.filename === wheel.fileName) as ProjectFileJson & { 'core-metadata': { sha256: string } };
    expect(file).toMatchObject({
      url: `1.0/${wheel.fileName}`,
      hashes: { sha256: wheel.sha256 },
      size: wheel.bytes.length,
      'requires-python': '>=3.8',
      yanked: false,
    });
    expect(file['core-metadata'].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a repeated request from the cache with 304 for the same ETag', async () => {
    const first = await get(`${server.endpoint('hosted')}simple/demo-pkg/`);
    const again = await get(`${server.endpoint('hosted')}simple/demo-pkg/`, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('redirects unnormalised names and the missing slash to the normal URL', async () => {
    for (const path of ['simple/Demo_Pkg/', 'simple/demo-pkg', 'simple/DEMO.pkg']) {
      const response = await get(`${server.endpoint('hosted')}${path}`);
      expect(response.status, path).toBe(301);
      expect(response.headers.location).toBe(`${server.endpoint('hosted')}simple/demo-pkg/`);
    }
  });

  it('serves the files, the wheel METADATA, and 404 for what is not there', async () => {
    const base = `${server.endpoint('hosted')}simple/demo-pkg/1.0/`;
    const file = await get(`${base}${wheel.fileName}`);
    expect(file.status).toBe(200);
    expect(file.body.equals(wheel.bytes)).toBe(true);
    const metadata = await get(`${base}${wheel.fileName}.metadata`);
    expect(metadata.body.equals(wheel.metadata!)).toBe(true);
    expect((await get(`${base}${sdist.fileName}.metadata`)).status).toBe(404);
    expect((await get(`${base}demo_pkg-9.9.tar.gz`)).status).toBe(404);
    expect((await get(`${server.endpoint('hosted')}simple/demo-pkg/9.9/${wheel.fileName}`)).status).toBe(404);
    expect((await get(`${server.endpoint('hosted')}simple/no-such-project/`)).status).toBe(404);
  });

  it('lists the project on the root page and needs a token to read', async () => {
    const root = await get(`${server.endpoint('hosted')}simple/`);
    expect(root.body.toString()).toContain('<a href="demo-pkg/">demo-pkg</a>');
    const anonymous = await request(`${server.endpoint('hosted')}simple/demo-pkg/`);
    await anonymous.body.dump();
    expect(anonymous.statusCode).toBe(401);
    expect(String(anonymous.headers['www-authenticate'])).toContain('Basic');
  });

  it('takes the wheel and the sdist of a new version uploaded at the same time', async () => {
    const next = { ...spec, version: '2.0' };
    const [wheelResult, sdistResult] = await Promise.all([
      uploadDist(server.endpoint('hosted'), server.token, buildWheel(next), 'Demo-Pkg', '2.0'),
      uploadDist(server.endpoint('hosted'), server.token, buildSdist(next), 'Demo-Pkg', '2.0'),
    ]);
    expect([wheelResult.status, sdistResult.status]).toEqual([200, 200]);
    const record = await server.store.index.getPackage({ domain: 'acme', repository: 'hosted', format: 'pypi', name: 'demo-pkg' });
    expect(record?.versions['2.0'].assets).toHaveLength(3);
  });

  it('files an upload of 1.0.0 under the stored release 1.0', async () => {
    // Another tag than the stored wheel's: the same tag would be the same file (next test).
    const built = buildWheel({ ...spec, version: '1.0.0' });
    const spelled = { ...built, fileName: built.fileName.replace('-py3-', '-py2.py3-') };
    expect((await uploadDist(server.endpoint('hosted'), server.token, spelled, 'Demo-Pkg', '1.0.0')).status).toBe(200);
    const record = await server.store.index.getPackage({ domain: 'acme', repository: 'hosted', format: 'pypi', name: 'demo-pkg' });
    expect(Object.keys(record?.versions ?? {}).sort()).toEqual(['1.0', '2.0']);
    expect(record?.versions['1.0'].assets.map((asset) => asset.name)).toContain(spelled.fileName);
  });

  it('refuses the same wheel or sdist of a release under a name spelled another way (409 File already exists), storing nothing', async () => {
    const key = { domain: 'acme', repository: 'hosted', format: 'pypi' as const, name: 'demo-pkg' };
    const before = (await server.store.index.getPackage(key))?.versions['1.0'].assets.map((asset) => asset.name);
    // Demo_Pkg-1.0-py3-none-any.whl and Demo_Pkg-1.0.tar.gz are stored: these are the same files to pip.
    const twins = [
      buildWheel({ ...spec, name: 'demo.pkg' }),
      buildWheel({ ...spec, name: 'DEMO-PKG', version: '1.0.0' }),
      buildSdist({ ...spec, name: 'demo-pkg', version: '1.00' }),
    ];
    for (const twin of twins) {
      const result = await uploadDist(
        server.endpoint('hosted'),
        server.token,
        twin,
        'demo-pkg',
        twin === twins[0] ? '1.0' : twin === twins[1] ? '1.0.0' : '1.00',
      );
      expect(result.status, result.body).toBe(409);
      expect(result.reason).toMatch(/^File already exists: .* is the same distribution as Demo_Pkg-1\.0/);
    }
    expect((await server.store.index.getPackage(key))?.versions['1.0'].assets.map((asset) => asset.name)).toEqual(before);
  });
});
