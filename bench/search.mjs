// Workload: a search over every package of a repository (docs/performance.md, "Lists and
// searches over every package"). npm search over the web-pages workload's 10,000 packages, the
// server's own time from its request log: the first query (every package read), the median of
// ten more, and the first query after another process published (a change the server did not
// make itself, so every package is read again).
import path from 'node:path';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { httpGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';
import { publishOne, seed, serverMs } from './web-pages.mjs';

export const name = 'search';
export const description =
  'npm search over 10,000 packages: server ms of the first query, the median of ten more, and the first after a publish by another process';

const TARGET_MS = 50;

export async function run(context) {
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(context.workDir, 'search') });
  const seeded = await seed(context.projectDir, setup.root);
  const server = await startArtifactCli(setup);
  const pathname = `/${DOMAIN}/npm/${REPOSITORY}/-/v1/search`;
  const headers = { authorization: `Bearer ${server.token}` };
  const search = async (text) => {
    const response = await httpGet(`${server.base}${pathname}?text=${text}&size=20`, headers);
    if (response.status !== 200) throw new Error(`search answered ${response.status}`);
    // The log is written in batches (serve.ts); give it its moment.
    await new Promise((resolve) => setTimeout(resolve, 80));
    return { total: JSON.parse(response.body.toString('utf8')).total, ms: serverMs(server, pathname) };
  };
  let row;
  try {
    const first = await search('pkg-0004');
    // What it returns, so a fast wrong answer cannot pass: pkg-00040 to pkg-00049.
    if (first.total !== 10) throw new Error(`search for pkg-0004 found ${first.total} packages, not 10`);
    const again = [];
    for (let i = 0; i < 10; i++) again.push((await search(i % 2 ? 'pkg-0004' : 'pkg-09999')).ms);
    await publishOne(seeded, 0);
    const afterPublish = await search('pkg-0004');
    row = { query: 'npm search, 10,000 packages', first_ms: first.ms, repeat_ms: median(again), after_foreign_publish_ms: afterPublish.ms };
  } finally {
    await stopServer(context, server);
  }
  return {
    rows: [row],
    checks: [
      {
        name: 'npm search over 10,000 packages after the first query',
        pass: row.repeat_ms < TARGET_MS,
        detail: `${row.repeat_ms.toFixed(1)} ms (server time, median of 10; first ${row.first_ms.toFixed(0)} ms; no numeric target in the issues; ${TARGET_MS} ms, as for the web pages)`,
      },
    ],
  };
}
