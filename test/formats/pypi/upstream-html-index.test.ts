/**
 * public:pypi backed by an index that serves only PEP 503 HTML, the way a mirror kept as a
 * directory tree behind a plain static server does: Python's own http.server over a tree of
 * index.html files, which answers HTML whatever the Accept header asks for. Pages, downloads
 * and a real pip install go through artifact-cli.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHtmlProjectPage } from '../../../src/formats/pypi/html-project-page.js';
import { findPythonClients } from '../../helpers/pypi-clients.js';
import { buildWheel, type BuiltDist } from '../../helpers/pypi-dist.js';
import { startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth } from '../../helpers/pypi-upload.js';
import { runClient } from '../../helpers/run-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const { python } = findPythonClients();

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('readHtmlProjectPage', () => {
  it('ends an unclosed anchor at the next one, and names a file by its link when the text is empty', () => {
    const html = '<a href="a-1.0.tar.gz#sha256=01">a-1.0.tar.gz<br><a href="/f/a-2.0.tar.gz#sha256=02"></a><abbr>x</abbr><a href="a-3.0%2Bx.tar.gz#sha256=03">';
    expect(readHtmlProjectPage(html, 'http://index.test/simple/a/').map((entry) => [entry.filename, entry.url])).toEqual([
      ['a-1.0.tar.gz', 'http://index.test/simple/a/a-1.0.tar.gz'],
      ['a-2.0.tar.gz', 'http://index.test/f/a-2.0.tar.gz'],
      ['a-3.0+x.tar.gz', 'http://index.test/simple/a/a-3.0%2Bx.tar.gz'],
    ]);
  });

  it('reads links, digests, PEP 503 attributes, entities and <base href> into PEP 691 entries', () => {
    const html = `<!DOCTYPE html><html><head><base href="https://mirror.test/pkgs/"></head><body>
      <a href="a-1.0.tar.gz#sha256=AB12" data-requires-python="&gt;=3.8,&lt;4">a-1.0.tar.gz</a><br>
      <A HREF='/x/a-2.0-py3-none-any.whl#md5=00' data-yanked data-dist-info-metadata="sha256=cd34">a-2.0-py3-none-any.whl</A>
      <a href="a-3.0.tar.gz#sha256=ef" data-yanked="broken &amp; withdrawn" data-core-metadata="true"><b>a-3.0.tar.gz</b></a>
    </body></html>`;
    expect(readHtmlProjectPage(html, 'http://index.test/simple/a/')).toEqual([
      { filename: 'a-1.0.tar.gz', url: 'https://mirror.test/pkgs/a-1.0.tar.gz', hashes: { sha256: 'AB12' }, 'requires-python': '>=3.8,<4' },
      {
        filename: 'a-2.0-py3-none-any.whl',
        url: 'https://mirror.test/x/a-2.0-py3-none-any.whl',
        hashes: { md5: '00' },
        yanked: true,
        'core-metadata': { sha256: 'cd34' },
      },
      { filename: 'a-3.0.tar.gz', url: 'https://mirror.test/pkgs/a-3.0.tar.gz', hashes: { sha256: 'ef' }, yanked: 'broken & withdrawn', 'core-metadata': true },
    ]);
  });
});

/** Python's http.server over `dir` on a free port; resolves with its URL once it listens. */
function startStaticServer(dir: string): Promise<{ url: string; child: ChildProcess; requests: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const requests: string[] = [];
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const port = /port (\d+)/.exec(output)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/`, child, requests });
    });
    // The request log: `127.0.0.1 - - [date] "GET /simple/x/ HTTP/1.1" 200 -`.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => requests.push(...[...chunk.matchAll(/"GET (\S+) HTTP/g)].map((match) => match[1])));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`python3 -m http.server exited ${code}: ${output}`)));
  });
}

describe.skipIf(!python)('an HTML-only index behind public:pypi', () => {
  let staticServer: Awaited<ReturnType<typeof startStaticServer>>;
  let server: PypiTestServer;
  let current: BuiltDist;
  let yanked: BuiltDist;

  beforeAll(async () => {
    const tree = makeTempDir('pypi-static-index-');
    current = buildWheel({ name: 'static-lib', version: '2.0' });
    yanked = buildWheel({ name: 'static-lib', version: '1.0' });
    mkdirSync(path.join(tree, 'simple', 'static-lib'), { recursive: true });
    mkdirSync(path.join(tree, 'packages'));
    for (const dist of [current, yanked]) {
      writeFileSync(path.join(tree, 'packages', dist.fileName), dist.bytes);
      writeFileSync(path.join(tree, 'packages', `${dist.fileName}.metadata`), dist.metadata!);
    }
    const link = (dist: BuiltDist, extra: string) =>
      `<a href="../../packages/${dist.fileName}#sha256=${dist.sha256}" data-requires-python="&gt;=3.7" data-dist-info-metadata="sha256=${sha256(dist.metadata!)}" data-core-metadata="sha256=${sha256(dist.metadata!)}"${extra}>${dist.fileName}</a><br/>`;
    writeFileSync(path.join(tree, 'simple', 'index.html'), '<!DOCTYPE html><html><body><a href="static-lib/">static-lib</a></body></html>\n');
    writeFileSync(
      path.join(tree, 'simple', 'static-lib', 'index.html'),
      `<!DOCTYPE html>\n<html><head><title>Links for static-lib</title></head><body><h1>Links for static-lib</h1>\n${link(yanked, ' data-yanked="bad build"')}\n${link(current, '')}\n</body></html>\n`,
    );
    staticServer = await startStaticServer(tree);
    server = await startPypiServer({
      repositories: [
        { name: 'app', upstreams: ['pypi-store'] },
        { name: 'pypi-store', external: true },
      ],
      publicIndexUrl: staticServer.url,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    staticServer?.child.kill();
  });

  const get = async (url: string, accept = JSON_TYPE) => {
    const response = await request(url, { headers: { authorization: basicAuth(server.token), accept } });
    return { status: response.statusCode, body: Buffer.from(await response.body.arrayBuffer()) };
  };

  it('lists the files of the HTML page with their digests, yanked and requires-python, and serves them checked', async () => {
    const page = await get(`${server.endpoint('app')}simple/static-lib/`);
    expect(page.status).toBe(200);
    const files = (JSON.parse(page.body.toString()) as { files: Record<string, unknown>[] }).files;
    expect(files.map((file) => [file.filename, (file.hashes as { sha256: string }).sha256, file.yanked, file['requires-python']])).toEqual([
      [yanked.fileName, yanked.sha256, 'bad build', '>=3.7'],
      [current.fileName, current.sha256, false, '>=3.7'],
    ]);
    expect(staticServer.requests).toContain('/simple/static-lib/');
    const metadata = await get(`${server.endpoint('app')}simple/static-lib/2.0/${current.fileName}.metadata`, '*/*');
    expect(metadata.body.equals(current.metadata!)).toBe(true);
    const wheel = await get(`${server.endpoint('app')}simple/static-lib/2.0/${current.fileName}`, '*/*');
    expect(wheel.status).toBe(200);
    expect(wheel.body.equals(current.bytes)).toBe(true);
  });

  it('lets pip install the package through artifact-cli', async () => {
    const home = makeTempDir('pypi-static-home-');
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      PIP_CONFIG_FILE: '/dev/null',
      PIP_NO_CACHE_DIR: '1',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_NO_INPUT: '1',
    };
    const venv = path.join(home, 'venv');
    expect((await runClient('python3', ['-m', 'venv', venv], home, env)).code).toBe(0);
    const installed = await runClient(path.join(venv, 'bin', 'pip'), ['install', '--index-url', server.indexUrl('app'), 'static-lib'], home, env);
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    expect(installed.stdout).toContain('Successfully installed static-lib-2.0');
  }, 120_000);
});
