/**
 * The package and version commands on Swift packages (namespace = scope, both lowercased): a
 * release published over HTTP as SwiftPM sends it, then listed, described, downloaded, copied
 * and moved between statuses by the built CLI, with the registry's answers following.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/operations/repositories.js';
import { clientVersions, registryGet, registryPublish, sourceArchive, type Credentials } from '../formats/swift/swiftpm-exchange.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

let harness: InProcessServer;
let bearer: Credentials;
const archive = sourceArchive('LinkedList');
const PACKAGE = ['--domain', 'acme', '--format', 'swift', '--namespace', 'Mona', '--package', 'LinkedList'];

/** The members of the commands' JSON answers these tests read. */
interface CliAnswer {
  packages: unknown[];
  versions: { version: string; status: string }[];
  packageVersion: unknown;
  assets: { name: string }[];
  successfulVersions: Record<string, unknown>;
}

function cli(args: string[]) {
  return runCliJson<CliAnswer>(args, { root: harness.root });
}

function endpoint(repository: string): string {
  return `${harness.server.url}/acme/swift/${repository}/`;
}

/** The releases SwiftPM would resolve from the list (a gone one is listed with its problem, and skipped). */
async function releases(repository: string): Promise<string[]> {
  const answer = await registryGet(`${endpoint(repository)}mona/LinkedList`, 'json', bearer);
  return answer.status === 200 ? clientVersions(answer) : [];
}

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-swift-cli-' });
  bearer = { bearer: harness.token };
  await createRepository(harness.store, { domain: 'acme', repository: 'other' });
  for (const version of ['1.0.0', '1.1.0-beta.1']) {
    expect(
      (await registryPublish(endpoint('main'), 'Mona', 'LinkedList', version, { archive, metadata: { description: 'Linked lists' } }, bearer)).status,
    ).toBe(201);
  }
});

afterAll(async () => {
  await harness.server.close(100);
});

describe('package commands for swift', () => {
  it('list-packages shows the scope as namespace, both lowercased, with the origin controls of a publish', async () => {
    const listed = await cli(['list-packages', '--domain', 'acme', '--repository', 'main', '--format', 'swift']);
    expect(listed.packages).toEqual([
      expect.objectContaining({
        format: 'swift',
        namespace: 'mona',
        package: 'linkedlist',
        originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
      }),
    ]);
  });

  it('list-package-versions and describe-package-version find the package whatever the case typed', async () => {
    const versions = await cli(['list-package-versions', '--repository', 'main', ...PACKAGE]);
    expect(versions.versions.map((version) => [version.version, version.status]).sort()).toEqual([
      ['1.0.0', 'Published'],
      ['1.1.0-beta.1', 'Published'],
    ]);
    const described = await cli(['describe-package-version', '--repository', 'main', ...PACKAGE, '--package-version', '1.0.0']);
    expect(described.packageVersion).toMatchObject({
      format: 'swift',
      namespace: 'mona',
      packageName: 'linkedlist',
      version: '1.0.0',
      summary: 'Linked lists',
      status: 'Published',
    });
  });

  it('list-package-version-assets and get-package-version-asset give the archive the registry announces', async () => {
    const assets = await cli(['list-package-version-assets', '--repository', 'main', ...PACKAGE, '--package-version', '1.0.0']);
    expect(assets.assets.map((asset) => asset.name).sort()).toEqual(['LinkedList-1.0.0.zip', 'Package.swift']);
    const out = path.join(makeTempDir('artifact-cli-swift-asset-'), 'archive.zip');
    await cli(['get-package-version-asset', '--repository', 'main', ...PACKAGE, '--package-version', '1.0.0', '--asset', 'LinkedList-1.0.0.zip', out]);
    const metadata = parseJson<{ resources: { checksum: string }[] }>((await registryGet(`${endpoint('main')}mona/LinkedList/1.0.0`, 'json', bearer)).body);
    expect(
      createHash('sha256')
        .update(await fs.readFile(out))
        .digest('hex'),
    ).toBe(metadata.resources[0].checksum);
  });

  it('update-package-versions-status: Unlisted leaves the list, Archived is gone, Published comes back', async () => {
    await cli(['update-package-versions-status', '--repository', 'main', ...PACKAGE, '--versions', '1.1.0-beta.1', '--target-status', 'Unlisted']);
    expect(await releases('main')).toEqual(['1.0.0']);
    await cli(['update-package-versions-status', '--repository', 'main', ...PACKAGE, '--versions', '1.1.0-beta.1', '--target-status', 'Archived']);
    expect((await registryGet(`${endpoint('main')}mona/LinkedList/1.1.0-beta.1.zip`, 'zip', bearer)).status).toBe(410);
    await cli(['update-package-versions-status', '--repository', 'main', ...PACKAGE, '--versions', '1.1.0-beta.1', '--target-status', 'Published']);
    expect(await releases('main')).toEqual(['1.1.0-beta.1', '1.0.0']);
  });

  it('copy-package-versions makes a release resolvable from another repository', async () => {
    expect(await releases('other')).toEqual([]);
    const copied = await cli([
      'copy-package-versions',
      '--domain',
      'acme',
      '--source-repository',
      'main',
      '--destination-repository',
      'other',
      '--format',
      'swift',
      '--namespace',
      'mona',
      '--package',
      'linkedlist',
      '--versions',
      '1.0.0',
    ]);
    expect(Object.keys(copied.successfulVersions)).toEqual(['1.0.0']);
    expect(await releases('other')).toEqual(['1.0.0']);
    const download = await registryGet(`${endpoint('other')}mona/LinkedList/1.0.0.zip`, 'zip', bearer);
    expect(download.body.equals(archive)).toBe(true);
  });

  it('refuses a swift package named without its scope, with one line and exit 2', async () => {
    const result = await runCli(['list-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'swift', '--package', 'LinkedList'], {
      root: harness.root,
    });
    expect([result.code, result.stderr]).toEqual([2, 'error Validation: --namespace is required for swift packages.\n']);
  });

  it('delete-package-versions removes the release from the registry', async () => {
    await cli(['delete-package-versions', '--repository', 'main', ...PACKAGE, '--versions', '1.1.0-beta.1']);
    expect(await releases('main')).toEqual(['1.0.0']);
    expect((await registryGet(`${endpoint('main')}mona/LinkedList/1.1.0-beta.1`, 'json', bearer)).status).toBe(404);
  });

  it('dispose-package-versions makes a release gone (410) and keeps it out of what SwiftPM resolves', async () => {
    await cli(['dispose-package-versions', '--repository', 'other', ...PACKAGE, '--versions', '1.0.0']);
    expect(await releases('other')).toEqual([]);
    expect((await registryGet(`${endpoint('other')}mona/LinkedList/1.0.0.zip`, 'zip', bearer)).status).toBe(410);
  });
});
