/**
 * bin/artifact-cli.js runs dist/bundle/ (scripts/bundle-cli.mjs), not dist/cli/. These check what
 * bundling could break: files found relative to a chunk (the Maven XML worker), and that a command
 * loads its code from the bundle and only its own group. `npm run build` first.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, PROJECT_DIR, runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const BUNDLE_DIR = path.join(PROJECT_DIR, 'dist', 'bundle');

describe('the bundled CLI', () => {
  it('finds every file a chunk names relative to itself beside it (the Maven XML worker)', () => {
    const named = readdirSync(BUNDLE_DIR)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(path.join(BUNDLE_DIR, file), 'utf8').matchAll(/new URL\(\s*["'](\.\/[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)].map(
          (match) => match[1],
        ),
      );
    expect(named).toContain('./xml-worker.js');
    for (const relative of named) expect(existsSync(path.join(BUNDLE_DIR, relative)), relative).toBe(true);
  });

  it('loads list-domains from the bundle alone: no file of dist/cli, commander or the server', () => {
    const root = makeTempDir('artifact-cli-bundle-');
    const log = path.join(root, 'resolved.txt');
    writeFileSync(path.join(root, 'hooks.mjs'), RECORD_RESOLVED);
    writeFileSync(path.join(root, 'register.mjs'), REGISTER_AND_LIST_BUILTINS);
    const output = execFileSync(process.execPath, ['--import', pathToFileURL(path.join(root, 'register.mjs')).href, CLI_PATH, 'list-domains'], {
      env: { PATH: process.env.PATH, HOME: root, ARTIFACT_CLI_ROOT: path.join(root, 'store'), RESOLVED_LOG: log },
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ domains: [] });
    const ours = readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url))
      .filter((file) => file.startsWith(PROJECT_DIR));
    expect(ours[0]).toBe(CLI_PATH);
    expect(ours.filter((file) => file.startsWith(BUNDLE_DIR)).length).toBeGreaterThan(1);
    expect(ours.filter((file) => file !== CLI_PATH && !file.startsWith(BUNDLE_DIR))).toEqual([]);
    expect(ours.filter((file) => /^(serve|maven|npm|pypi|nuget|sync)/.test(path.basename(file)))).toEqual([]);
    // Nor the service model (src/api/service-model.json, ~95 KB): the CLI reads its small view, aws-input-shapes.ts.
    expect(ours.filter((file) => file.startsWith(BUNDLE_DIR) && readFileSync(file, 'utf8').includes('requestUri')).map((file) => path.basename(file))).toEqual(
      [],
    );
    expect(readdirSync(BUNDLE_DIR).some((file) => readFileSync(path.join(BUNDLE_DIR, file), 'utf8').includes('requestUri'))).toBe(true);
    // Node's own modules that only writing or commander's executable subcommands need.
    const builtins = readFileSync(`${log}.builtins`, 'utf8').split('\n');
    expect(builtins).toContain('NativeModule fs');
    expect(builtins.filter((name) => /^NativeModule (crypto|child_process)$/.test(name))).toEqual([]);
  });
});

// Registers the hook below, and writes the Node modules loaded by the end to $RESOLVED_LOG.builtins.
const REGISTER_AND_LIST_BUILTINS = `
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
register('./hooks.mjs', import.meta.url);
process.on('exit', () => writeFileSync(process.env.RESOLVED_LOG + '.builtins', process.moduleLoadList.join('\\n')));
`;

// A module resolve hook that writes each URL it resolves to $RESOLVED_LOG, one a line.
const RECORD_RESOLVED = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.RESOLVED_LOG, result.url + '\\n');
  return result;
}
`;

describe('a big POM through the bundled server', () => {
  let root: string;
  let token: string;
  beforeAll(async () => {
    root = makeTempDir('artifact-cli-bundle-serve-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
    token = (await runCli(['get-authorization-token', '--domain', 'acme', '--query', 'authorizationToken', '--output', 'text'], { root })).stdout.trim();
  });

  it('reads a POM over 128 KB on the worker thread and records it', async () => {
    const server = await startTestServer({ root });
    const dependencies = Array.from(
      { length: 900 },
      (_, i) => `<dependency><groupId>org.dep${i}</groupId><artifactId>lib</artifactId><version>1.${i}</version><!-- ${'padding '.repeat(20)} --></dependency>`,
    ).join('');
    const pom = `<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>big</artifactId><version>1.0</version><description>Big POM</description><dependencies>${dependencies}</dependencies></project>`;
    expect(pom.length).toBeGreaterThan(128 * 1024);
    const put = (relative: string, body: string) =>
      fetch(`${server.url}/acme/maven/main/com/acme/big/${relative}`, {
        method: 'PUT',
        body,
        headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` },
      });
    const response = await put('1.0/big-1.0.pom', pom);
    expect(response.status, await response.text()).toBe(201);
    expect((await put('1.0/big-1.0.pom.sha1', createHash('sha1').update(pom).digest('hex'))).status).toBe(201);
    await server.stop();
    const described = await runCliJson<{ packageVersion: { summary?: string } }>(
      [
        'describe-package-version',
        '--domain',
        'acme',
        '--repository',
        'main',
        '--format',
        'maven',
        '--namespace',
        'com.acme',
        '--package',
        'big',
        '--package-version',
        '1.0',
      ],
      { root },
    );
    expect(described.packageVersion.summary).toBe('Big POM');
  });
});
