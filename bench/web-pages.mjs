// Workload: the web interface (docs/web.md). A repository of 10,000 packages and a package of
// 3,000 versions, written through the store API; the server's own time for each page (from its
// request log) on the first render and the median of ten more, and the bytes a first visit
// transfers (the page and its assets, gzipped as a browser asks).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { manyVersionsRecord } from './fixtures.mjs';
import { httpGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';

export const name = 'web-pages';
export const description =
  'web interface: server ms of the repository page (10,000 packages) and the package page (3,000 versions), first and repeated, and of the repository page after a publish; KB of a first visit';

const PACKAGES = 10_000;
const BIG = 'bench-huge';
const TARGET_MS = 50;
const TARGET_FIRST_VISIT_KB = 200;

export async function seed(projectDir, root) {
  const { openStore } = await import(pathToFileURL(path.join(projectDir, 'dist', 'store', 'store.js')).href);
  const store = openStore(root);
  const one = manyVersionsRecord('template', 1);
  const [version] = Object.values(one.versions);
  for (let i = 0; i < PACKAGES; i++) {
    const name = `pkg-${String(i).padStart(5, '0')}`;
    const record = {
      ...one,
      name,
      versions: { [version.version]: { ...version, summary: `${name} for the benchmark`, formatMetadata: { ...version.formatMetadata, name } } },
    };
    await store.index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'npm', name }, () => record);
  }
  await store.index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'npm', name: BIG }, () => manyVersionsRecord(BIG, 3000));
  return { store, one };
}

/** Another process publishes a version of pkg-00000, as a client would between two visits. */
export async function publishOne({ store, one }, round) {
  const [template] = Object.values(one.versions);
  const name = 'pkg-00000';
  const version = `2.0.${round}`;
  await store.index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'npm', name }, (current) => ({
    ...current,
    versions: {
      ...current.versions,
      [version]: { ...template, version, publishedTime: new Date().toISOString(), formatMetadata: { ...template.formatMetadata, name, version } },
    },
  }));
}

/** The server's own milliseconds for the last logged request of `pathname`. */
export function serverMs(server, pathname) {
  const lines = server.process
    .log()
    .split('\n')
    .filter((line) => line.startsWith(`GET ${pathname} 200 `));
  return Number(/ ([\d.]+)ms$/.exec(lines.at(-1) ?? '')?.[1]);
}

async function signIn(server) {
  const response = await fetch(`${server.base}/-/ui/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.base },
    body: new URLSearchParams({ domain: DOMAIN, token: server.token }).toString(),
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

export async function run(context) {
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(context.workDir, 'web-pages') });
  const seeded = await seed(context.projectDir, setup.root);
  const server = await startArtifactCli(setup);
  const rows = [];
  let firstVisitKb;
  try {
    const cookie = await signIn(server);
    const headers = { cookie, accept: 'text/html', 'accept-encoding': 'gzip' };
    const pages = [
      ['repository page', `/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}`],
      ['repository page, sorted by last publish', `/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}?sort=published`],
      ['repository page, filtered', `/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}?name=pkg-09`],
      ['package page (3,000 versions)', `/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}/packages/npm/${BIG}`],
    ];
    for (const [label, url] of pages) {
      const first = await httpGet(`${server.base}${url}`, headers);
      if (first.status !== 200) throw new Error(`${url} answered ${first.status}`);
      const pathname = url.split('?')[0];
      // The log is written in batches (serve.ts); give it its moment.
      await new Promise((resolve) => setTimeout(resolve, 80));
      const firstMs = serverMs(server, pathname);
      const again = [];
      for (let i = 0; i < 10; i++) {
        await httpGet(`${server.base}${url}`, headers);
        await new Promise((resolve) => setTimeout(resolve, 80));
        again.push(serverMs(server, pathname));
      }
      rows.push({ page: label, first_ms: firstMs, repeat_ms: median(again), gzip_kb: first.body.length / 1024 });
    }
    // The repository page after each of six publishes: the list is made again every time.
    const afterPublish = [];
    let afterPublishKb = 0;
    for (let round = 0; round < 6; round++) {
      await publishOne(seeded, round);
      const response = await httpGet(`${server.base}${pages[0][1]}`, headers);
      if (response.status !== 200) throw new Error(`the repository page answered ${response.status}`);
      afterPublishKb = response.body.length / 1024;
      await new Promise((resolve) => setTimeout(resolve, 80));
      afterPublish.push(serverMs(server, pages[0][1]));
    }
    rows.push({
      page: 'repository page after a publish (each time)',
      first_ms: afterPublish[0],
      repeat_ms: median(afterPublish.slice(1)),
      gzip_kb: afterPublishKb,
    });
    // A first visit: the repository page and every asset it names.
    const page = await httpGet(`${server.base}${pages[0][1]}`, headers);
    const { gunzipSync } = await import('node:zlib');
    const html = gunzipSync(page.body).toString('utf8');
    let bytes = page.body.length;
    for (const asset of new Set([...html.matchAll(/(?:href|src)="(\/-\/ui\/assets\/[^"]+)"/g)].map((match) => match[1]))) {
      bytes += (await httpGet(`${server.base}${asset}`, { 'accept-encoding': 'gzip' })).body.length;
    }
    firstVisitKb = bytes / 1024;
  } finally {
    await stopServer(context, server);
  }
  const repeat = (label) => rows.find((row) => row.page === label).repeat_ms;
  return {
    rows,
    checks: [
      {
        name: `repository page of ${PACKAGES} packages under ${TARGET_MS} ms after the first render`,
        pass: repeat('repository page') < TARGET_MS,
        detail: `${repeat('repository page').toFixed(1)} ms (server time, median of 10)`,
      },
      {
        name: `package page of 3,000 versions under ${TARGET_MS} ms after the first render`,
        pass: repeat('package page (3,000 versions)') < TARGET_MS,
        detail: `${repeat('package page (3,000 versions)').toFixed(1)} ms`,
      },
      {
        name: `first visit under ${TARGET_FIRST_VISIT_KB} KB compressed`,
        pass: firstVisitKb < TARGET_FIRST_VISIT_KB,
        detail: `${firstVisitKb?.toFixed(1)} KB (repository page and its assets, gzip)`,
      },
    ],
  };
}
