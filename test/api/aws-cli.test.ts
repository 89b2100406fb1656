/**
 * The real AWS CLIs (Debian's 2.x, and a 1.x where the machine has one) against a real
 * `serve`, through --endpoint-url with an access key from create-access-key: their JSON equals
 * artifact-cli's own output for the same call (times compared as instants), errors read as
 * against AWS, auto-pagination walks nextToken, assets download byte for byte, and
 * `aws codeartifact login --tool npm` configures a real npm that publishes and installs from a
 * domain named v1.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAwsClients, runAws, type AwsRun } from '../helpers/aws-clients.js';
import type { AccessKey } from '../helpers/aws-sign.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { keepKnown, normaliseAwsOutput as normalise } from '../helpers/aws-output.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const clients = findAwsClients();
// Each `aws` run starts a Python CLI (1-2 s here, 5 s and more on a loaded 2-core runner); the
// tests below that make a dozen runs get more than the suite's 60 s.
const heavy = { timeout: 180_000 };
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let server: TestServer;
let key: AccessKey;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-aws-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  server = await startTestServer({ root });
});

describe.skipIf(clients.length === 0).each(clients)('$label', (client) => {
  let run: AwsRun;
  const domain = `team-${client.major}`;
  const endpoint = () => ['--endpoint-url', server.url];

  async function aws(args: string[], cwd?: string): Promise<Record<string, unknown>> {
    const result = await runAws(run, ['codeartifact', ...args, ...endpoint(), '--output', 'json'], cwd);
    if (result.code !== 0) throw new Error(`aws codeartifact ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout.trim() ? (JSON.parse(result.stdout) as Record<string, unknown>) : {};
  }

  /**
   * The same command through aws and through artifact-cli: the same JSON. Debian's 2.x carries
   * an older model that lacks a few newer members (a repository's createdTime); it drops them,
   * so for it only what it knows is compared.
   */
  async function same(args: string[], localGlobals: string[] = []): Promise<Record<string, unknown>> {
    const viaApi = normalise(await aws(args));
    const local = normalise(await runCliJson([...localGlobals, ...args], { root }));
    expect(viaApi, args[0]).toEqual(client.major === 1 ? local : keepKnown(local, viaApi));
    return viaApi as Record<string, unknown>;
  }

  beforeAll(() => {
    const home = makeTempDir('artifact-cli-aws-home-');
    mkdirSync(path.join(home, '.aws'), { recursive: true });
    run = { client, home, env: { AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey } };
  });

  it('creates and reads domains and repositories as artifact-cli shows them', async () => {
    const created = await aws(['create-domain', '--domain', domain, '--tags', 'key=team,value=api']);
    expect((created.domain as { name: string }).name).toBe(domain);
    await aws(['create-repository', '--domain', domain, '--repository', 'base', '--description', 'the base']);
    await aws(['create-repository', '--domain', domain, '--repository', 'app', '--upstreams', 'repositoryName=base']);
    await aws(['update-repository', '--domain', domain, '--repository', 'app', '--description', 'changed by aws']);
    await aws(['tag-resource', '--resource-arn', `arn:aws:codeartifact:local:000000000000:repository/${domain}/app`, '--tags', 'key=owner,value=ci']);

    await same(['describe-domain', '--domain', domain]);
    await same(['list-domains']);
    const app = await same(['describe-repository', '--domain', domain, '--repository', 'app']);
    expect(app.repository).toMatchObject({ description: 'changed by aws', upstreams: [{ repositoryName: 'base' }] });
    await same(['list-repositories-in-domain', '--domain', domain]);
    await same(['list-repositories']);
    await same(['list-tags-for-resource', '--resource-arn', `arn:aws:codeartifact:local:000000000000:repository/${domain}/app`]);
    await same(['get-repository-endpoint', '--domain', domain, '--repository', 'app', '--format', 'npm'], ['--endpoint-url', server.url]);
  });

  it('reads packages and versions, walks pages and downloads assets', heavy, async () => {
    const files = makeTempDir();
    for (const version of ['1.0', '1.1', '1.2']) {
      const file = path.join(files, `tool-${version}.txt`);
      writeFileSync(file, `tool ${version}\n`);
      await runCliJson(
        [
          'publish-package-version',
          '--domain',
          domain,
          '--repository',
          'base',
          '--format',
          'generic',
          '--namespace',
          'tools',
          '--package',
          'tool',
          '--package-version',
          version,
          '--asset-name',
          'tool.txt',
          '--asset-content',
          file,
          '--asset-sha256',
          sha(`tool ${version}\n`),
        ],
        { root },
      );
    }
    const pkg = ['--domain', domain, '--repository', 'base', '--format', 'generic', '--namespace', 'tools', '--package', 'tool'];
    await same(['list-packages', '--domain', domain, '--repository', 'base']);
    await same(['describe-package', ...pkg]);
    await same(['list-package-versions', ...pkg]);
    await same(['describe-package-version', ...pkg, '--package-version', '1.1']);
    await same(['list-package-version-assets', ...pkg, '--package-version', '1.1']);

    // One version per page: the CLI follows nextToken until the last page.
    const before = server.output().split('POST /v1/package/versions ').length;
    const paged = await aws(['list-package-versions', ...pkg, '--page-size', '1']);
    expect((paged.versions as { version: string }[]).map((entry) => entry.version).sort()).toEqual(['1.0', '1.1', '1.2']);
    expect(server.output().split('POST /v1/package/versions ').length - before).toBeGreaterThanOrEqual(3);

    const out = path.join(files, 'downloaded.txt');
    const got = await aws(['get-package-version-asset', ...pkg, '--package-version', '1.2', '--asset', 'tool.txt', out]);
    expect(readFileSync(out, 'utf8')).toBe('tool 1.2\n');
    expect(got).toMatchObject({ assetName: 'tool.txt', packageVersion: '1.2' });

    await aws(['update-package-versions-status', ...pkg, '--versions', '1.0', '--target-status', 'Archived']);
    const described = await same(['describe-package-version', ...pkg, '--package-version', '1.0']);
    expect((described.packageVersion as { status: string }).status).toBe('Archived');
  });

  it.runIf(client.major === 1)('publishes a generic asset with its SHA-256 checked', async () => {
    const file = path.join(makeTempDir(), 'notes.txt');
    writeFileSync(file, 'release notes\n');
    const pkg = ['--domain', domain, '--repository', 'base', '--format', 'generic', '--namespace', 'docs', '--package', 'notes', '--package-version', '2.0'];
    const wrong = await runAws(run, [
      'codeartifact',
      'publish-package-version',
      ...pkg,
      '--asset-content',
      file,
      '--asset-name',
      'notes.txt',
      '--asset-sha256',
      sha('other'),
      ...endpoint(),
    ]);
    expect(wrong.code).not.toBe(0);
    const published = await aws([
      'publish-package-version',
      ...pkg,
      '--asset-content',
      file,
      '--asset-name',
      'notes.txt',
      '--asset-sha256',
      sha('release notes\n'),
    ]);
    expect(published).toMatchObject({ status: 'Published', asset: { name: 'notes.txt', hashes: { 'SHA-256': sha('release notes\n') } } });
  });

  it('reports the service errors as against AWS', async () => {
    const missing = await runAws(run, ['codeartifact', 'describe-domain', '--domain', 'no-such-domain', ...endpoint()]);
    expect(missing.code).toBe(client.major === 1 ? 255 : 254);
    expect(missing.stderr).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeDomain operation: ');
    const conflict = await runAws(run, ['codeartifact', 'create-domain', '--domain', domain, ...endpoint()]);
    expect(conflict.stderr).toContain('An error occurred (ConflictException) when calling the CreateDomain operation: ');
    const wrongSecret = await runAws({ ...run, env: { ...run.env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' } }, ['codeartifact', 'list-domains', ...endpoint()]);
    expect(wrongSecret.stderr).toContain('An error occurred (InvalidSignatureException) when calling the ListDomains operation');
  });

  it('logs npm in to a domain named v1 with `aws codeartifact login`, then npm publishes and installs', heavy, async () => {
    const v1 = 'v1';
    // Both clients share the v1 domain: the second one finds it made.
    await runCli(['create-domain', '--domain', v1], { root });
    await runCli(['create-repository', '--domain', v1, '--repository', `npm-${client.major}`], { root });
    const login = await runAws(run, ['codeartifact', 'login', '--tool', 'npm', '--domain', v1, '--repository', `npm-${client.major}`, ...endpoint()]);
    expect(login.code, login.stderr).toBe(0);
    const npmrc = readFileSync(path.join(run.home, '.npmrc'), 'utf8');
    expect(npmrc).toContain(`registry=${server.url}/v1/npm/npm-${client.major}/`);

    const npmEnv = {
      PATH: process.env.PATH,
      HOME: run.home,
      npm_config_cache: path.join(run.home, '.npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const lib = path.join(run.home, 'lib');
    mkdirSync(lib);
    writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: `@acme/api-lib-${client.major}`, version: '1.0.0', main: 'index.js' }));
    writeFileSync(path.join(lib, 'index.js'), "module.exports = 'from v1';\n");
    const published = await runClient('npm', ['publish'], lib, npmEnv);
    expect(published.code, published.stderr).toBe(0);

    const app = path.join(run.home, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const installed = await runClient('npm', ['install', `@acme/api-lib-${client.major}@1.0.0`], app, npmEnv);
    expect(installed.code, installed.stderr).toBe(0);
    expect(readFileSync(path.join(app, 'node_modules', '@acme', `api-lib-${client.major}`, 'index.js'), 'utf8')).toContain('from v1');

    const versions = await aws([
      'list-package-versions',
      '--domain',
      v1,
      '--repository',
      `npm-${client.major}`,
      '--format',
      'npm',
      '--namespace',
      'acme',
      '--package',
      `api-lib-${client.major}`,
    ]);
    expect((versions.versions as { version: string }[]).map((entry) => entry.version)).toEqual(['1.0.0']);
  });
});
