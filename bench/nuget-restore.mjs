// NuGet's row of the per-format table. There is no dotnet here, so the requests a `dotnet
// restore` of 30 packages makes against a v3 feed are replayed as it makes them: the service
// index, then for every package at once its flat-container versions list and its .nupkg.
// Against artifact-cli cold (a fresh root whose public:nuget-org connection points at the static
// copy), artifact-cli warm (the same server again) and the static copy served by nginx (the
// flat container, a service index and registration documents carrying each SHA-512), and through
// the pass-through (pass-through.mjs), which rewrites the service index's URLs to its own. Median of 3 (ms).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { startStaticServer } from './ceiling.mjs';
import { installRounds } from './install-rounds.mjs';

export const name = 'nuget-restore';
export const description = "a `dotnet restore` of 30 packages replayed (service index, then each package's versions and .nupkg at once), median of 3 (ms)";

const PACKAGES = 30;

function nupkg(id) {
  const zip = new AdmZip();
  const nuspec = `<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">\n  <metadata>\n    <id>${id}</id>\n    <version>1.0.0</version>\n    <authors>bench</authors>\n    <description>${id} for the benchmark</description>\n  </metadata>\n</package>\n`;
  zip.addFile(`${id}.nuspec`, Buffer.from(nuspec));
  zip.addFile(
    '[Content_Types].xml',
    Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="dll" ContentType="application/octet" /></Types>',
    ),
  );
  // Library bytes that do not compress, as real assemblies barely do.
  zip.addFile(`lib/net8.0/${id}.dll`, randomBytes(100 * 1024));
  return zip.toBuffer();
}

/**
 * The static copy: v3/index.json, v3-flatcontainer/<id>/…, v3/registration/<id>/index.json.
 * `prefix`: another set of 30 ids in the same feed (profile-nuget-cold.mjs warms a server with it).
 */
export function buildFeed(dir, base, prefix = 'Bench.P') {
  const ids = Array.from({ length: PACKAGES }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
  const flat = `${base}/v3-flatcontainer/`;
  const registrations = `${base}/v3/registration/`;
  mkdirSync(path.join(dir, 'v3'), { recursive: true });
  writeFileSync(
    path.join(dir, 'v3', 'index.json'),
    JSON.stringify({
      version: '3.0.0',
      resources: [
        { '@id': flat, '@type': 'PackageBaseAddress/3.0.0' },
        { '@id': registrations, '@type': 'RegistrationsBaseUrl/3.6.0' },
      ],
    }),
  );
  for (const id of ids) {
    const lower = id.toLowerCase();
    const bytes = nupkg(id);
    mkdirSync(path.join(dir, 'v3-flatcontainer', lower, '1.0.0'), { recursive: true });
    writeFileSync(path.join(dir, 'v3-flatcontainer', lower, 'index.json'), JSON.stringify({ versions: ['1.0.0'] }));
    writeFileSync(path.join(dir, 'v3-flatcontainer', lower, '1.0.0', `${lower}.1.0.0.nupkg`), bytes);
    const leafUrl = `${registrations}${lower}/1.0.0.json`;
    const packageContent = `${flat}${lower}/1.0.0/${lower}.1.0.0.nupkg`;
    const entry = {
      '@id': leafUrl,
      id,
      version: '1.0.0',
      authors: 'bench',
      description: `${id} for the benchmark`,
      listed: true,
      published: '2024-01-01T00:00:00+00:00',
      packageContent,
      packageHash: createHash('sha512').update(bytes).digest('base64'),
      packageHashAlgorithm: 'SHA512',
    };
    const page = {
      '@id': `${registrations}${lower}/index.json#page/1.0.0/1.0.0`,
      count: 1,
      lower: '1.0.0',
      upper: '1.0.0',
      items: [{ '@id': leafUrl, catalogEntry: entry, packageContent }],
    };
    mkdirSync(path.join(dir, 'v3', 'registration', lower), { recursive: true });
    writeFileSync(path.join(dir, 'v3', 'registration', lower, 'index.json'), JSON.stringify({ count: 1, items: [page] }));
  }
  return ids;
}

async function get(url, headers) {
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body.toString().slice(0, 300)}`);
  return body;
}

/** One replayed restore; resolves to its wall time in ms. */
export async function restore(serviceIndex, ids, headers = {}) {
  const started = process.hrtime.bigint();
  const resources = JSON.parse((await get(serviceIndex, headers)).toString()).resources;
  const base = resources.find((resource) => String(resource['@type']).startsWith('PackageBaseAddress'))['@id'];
  await Promise.all(
    ids.map(async (id) => {
      const lower = id.toLowerCase();
      const { versions } = JSON.parse((await get(`${base}${lower}/index.json`, headers)).toString());
      const version = versions[versions.length - 1];
      await get(`${base}${lower}/${version}/${lower}.${version}.nupkg`, headers);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run(context) {
  const workDir = path.join(context.workDir, 'nuget-restore');
  const feedDir = path.join(workDir, 'feed');
  mkdirSync(feedDir, { recursive: true });
  const staticCopy = await startStaticServer({ root: feedDir, workDir: context.workDir });
  const ids = buildFeed(feedDir, staticCopy.base);
  return installRounds(context, {
    format: 'nuget',
    staticCopy,
    workDir,
    connection: 'public:nuget-org',
    standinPath: '/v3/index.json',
    packages: ids.length,
    extensions: ['.nupkg'],
    warmUp: true,
    install: ({ base, token }) =>
      restore(`${base}/v3/index.json`, ids, token ? { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` } : {}),
  });
}
