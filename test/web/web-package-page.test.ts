/**
 * What a package page says, for records written through the store API: origins (published
 * here, from an upstream, from an external connection), dist-tags, the governing package group,
 * install lines per format, reStructuredText readmes as text, no download link for an archived
 * version, and versions paged 100 at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageFormat, PackageRecord, VersionRecord } from '../../src/core/model.js';
import { createPackageGroup } from '../../src/operations/package-groups.js';
import { createRepository } from '../../src/operations/repositories.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';

let running: InProcessServer;

function version(name: string, index: number, extra: Partial<VersionRecord> = {}): VersionRecord {
  return {
    version: name,
    status: 'Published',
    revision: `r${index}`,
    publishedTime: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
    origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
    assets: [{ name: `file-${name}.bin`, size: 1536, hashes: { 'SHA-256': 'ab'.repeat(32) } }],
    ...extra,
  };
}

async function put(
  format: PackageFormat,
  name: string,
  versions: VersionRecord[],
  namespace?: string,
  formatMetadata?: Record<string, unknown>,
): Promise<void> {
  const record: PackageRecord = {
    format,
    namespace,
    name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    formatMetadata,
    versions: Object.fromEntries(versions.map((entry) => [entry.version, entry])),
  };
  await running.store.index.updatePackage({ domain: 'acme', repository: 'main', format, namespace, name }, () => record);
}

async function page(path: string): Promise<string> {
  const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/packages/${path}`, { headers: { accept: 'text/html' } });
  expect(response.status, path).toBe(200);
  const html = await response.text();
  // The text a reader sees, roughly: tags out, entities back.
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  running = await startInProcessServer({ tempPrefix: 'artifact-cli-web-package-', configure: (config) => (config.server.allowAnonymousRead = true) });
  await createRepository(running.store, { domain: 'acme', repository: 'team' });
  await createPackageGroup(running.store, { domain: 'acme', packageGroup: '/npm//acme-widgets$' });
  await put(
    'npm',
    'acme-widgets',
    [
      version('1.0.0', 1),
      version('1.1.0', 2, { origin: { domainEntryPoint: { repositoryName: 'team' }, originType: 'INTERNAL' } }),
      version('2.0.0', 3, { origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' } }),
      version('0.9.0', 0, { status: 'Archived' }),
    ],
    undefined,
    { 'dist-tags': { latest: '2.0.0', beta: '1.1.0' } },
  );
  await put('pypi', 'rst-doc', [version('1.0', 1, { readme: 'Title\n=====\n\nUsage::\n\n    import rst_doc\n\n**not bold**\n' })]);
  await put('maven', 'core', [version('3.2.1', 1)], 'com.example');
  await put('nuget', 'example.lib', [version('4.0.0', 1)]);
  await put('generic', 'tool', [version('1.0', 1)], 'tools');
  await put('cargo', 'serde-lite', [version('1.0.0', 1)]);
  // PyPI keeps a readme of up to 4 MiB; markdown-it took over 2 s on the server's only thread for one.
  await put('pypi', 'huge-doc', [version('1.0', 1, { readme: `# Start\n\n${'word *emph* [link](http://a.example) '.repeat(110_000)}\n\nTHE-END` })]);
  await put(
    'npm',
    'many',
    Array.from({ length: 250 }, (_, i) => version(`1.0.${i}`, i)),
  );
});

afterAll(async () => {
  await running?.server.close();
});

describe('the package page', () => {
  it('shows each version’s origin, the dist-tags and the package group that governs it', async () => {
    const text = await page('npm/acme-widgets');
    expect(text).toContain('acme-widgets 2.0.0');
    expect(text).toMatch(/2\.0\.0 Published [^A-Za-z]*UTC from public:npmjs/);
    expect(text).toMatch(/1\.1\.0 Published [^A-Za-z]*UTC from upstream team/);
    expect(text).toMatch(/1\.0\.0 Published [^A-Za-z]*UTC published here/);
    expect(text).toMatch(/Dist-tags latest 2\.0\.0 beta 1\.1\.0/);
    expect(text).toContain('Package group /npm//acme-widgets$ STRONG association');
    expect(text).toContain('npm install acme-widgets@2.0.0');
  });

  it('offers no download for an archived version', async () => {
    const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/packages/npm/acme-widgets?version=0.9.0`, {
      headers: { accept: 'text/html' },
    });
    const html = await response.text();
    expect(html).toContain('file-0.9.0.bin');
    expect(html).not.toContain('/download/');
    const direct = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/download/npm/acme-widgets?version=0.9.0&asset=file-0.9.0.bin`);
    expect(direct.status).toBe(404);
  });

  it('gives every format its own install lines and login', async () => {
    const maven = await page('maven/core?namespace=com.example');
    expect(maven).toContain('<dependency> <groupId>com.example</groupId> <artifactId>core</artifactId> <version>3.2.1</version> </dependency>');
    expect(maven).toContain('implementation("com.example:core:3.2.1")');
    expect(maven).toContain('artifact-cli login --tool maven --domain acme --repository main');
    expect(maven).toContain('artifact-cli login --tool gradle --domain acme --repository main');
    expect(await page('nuget/example.lib')).toContain('dotnet add package example.lib --version 4.0.0');
    expect(await page('generic/tool?namespace=tools')).toContain(
      'artifact-cli get-package-version-asset --domain acme --repository main --format generic --namespace tools --package tool --package-version 1.0 --asset file-1.0.bin file-1.0.bin',
    );
    expect(await page('pypi/rst-doc')).toContain('pip install rst-doc==1.0');
    const cargo = await page('cargo/serde-lite');
    expect(cargo).toContain('cargo add serde-lite@1.0.0 --registry acme-main');
    expect(cargo).toContain('serde-lite = { version = "1.0.0", registry = "acme-main" }');
    expect(cargo).toContain('artifact-cli login --tool cargo --domain acme --repository main');
  });

  it('shows a reStructuredText readme as text', async () => {
    const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/packages/pypi/rst-doc`, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(html).toContain('<pre class="plain">Title\n=====\n\nUsage::');
    expect(html).toContain('**not bold**');
  });

  it('renders only the first 64 KiB of a huge readme, and says how to get the rest', async () => {
    const text = await page('pypi/huge-doc');
    expect(text).toContain('Start');
    expect(text).not.toContain('THE-END');
    expect(text).toContain('The readme is longer than this page shows (3.9 MiB)');
    expect(text).toContain('artifact-cli get-package-version-readme --domain acme --repository main --format pypi --package huge-doc --package-version 1.0');
    expect(text.length).toBeLessThan(100_000);
  });

  it('pages through versions 100 at a time, newest first', async () => {
    const first = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/packages/npm/many`, { headers: { accept: 'text/html' } }).then(
      (response) => response.text(),
    );
    const listed = (html: string) => [...html.matchAll(/version=(1\.0\.\d+)" ?(?:aria-current="page")?>1\.0\.\d+<\/a><\/td>/g)].map((match) => match[1]);
    expect(listed(first)).toHaveLength(100);
    expect(listed(first)[0]).toBe('1.0.249');
    expect(first).toContain('Page 1 of 3');
    const third = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/packages/npm/many?version=1.0.249&versions-page=3`, {
      headers: { accept: 'text/html' },
    }).then((response) => response.text());
    expect(listed(third)).toHaveLength(50);
    expect(listed(third).at(-1)).toBe('1.0.0');
  });
});
