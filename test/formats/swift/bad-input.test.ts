/**
 * Publishes and requests SwiftPM could send that the registry must refuse: each answered with the
 * problem+json document SwiftPM prints, with the status the specification gives, and nothing
 * stored (no package record, no blob, no staged upload left behind).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflatedZeros, zipBytes } from '../../hardening/support/fuzz-archives.js';
import { startInProcessServer, type InProcessServer } from '../../helpers/in-process-server.js';
import {
  ACCEPT,
  MANIFEST,
  registryGet,
  registryPublish,
  send,
  sourceArchive,
  problemOf,
  publishBody,
  authorizationOf,
  type Credentials,
  type Exchange,
} from './swiftpm-exchange.js';

let harness: InProcessServer;
let endpoint: string;
let bearer: Credentials;
const MAX_UPLOAD = 2 * 1024 * 1024;

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-swift-bad-', configure: (config) => (config.server.maxUploadBytes = MAX_UPLOAD) });
  endpoint = `${harness.server.url}/acme/swift/main/`;
  bearer = { bearer: harness.token };
});

afterAll(async () => {
  await harness.server.close(100);
});

async function blobCount(): Promise<number> {
  let count = 0;
  for await (const _ of harness.store.blobs.list()) count++;
  return count;
}

function stagedFiles(): string[] {
  try {
    return readdirSync(path.join(harness.root, 'tmp')).filter((name) => name.startsWith('swift-publish-'));
  } catch {
    return [];
  }
}

/** The answer is problem+json with this status, carries Content-Version, and leaks no server path. */
function expectProblem(answer: Exchange, status: number, detail: RegExp): void {
  expect(answer.status, answer.body.toString()).toBe(status);
  const problem = problemOf(answer);
  expect(problem.status).toBe(status);
  expect(problem.detail).toMatch(detail);
  expect(answer.body.toString()).not.toContain(harness.root);
  expect(answer.headers['content-version']).toBe('1');
}

/** Publishes `archive` as mona/Bad 1.0.0 and checks the refusal stored nothing. */
async function refusedPublish(archive: Buffer, status: number, detail: RegExp, version = '1.0.0', extra: Record<string, string> = {}): Promise<void> {
  const blobsBefore = await blobCount();
  const answer = await registryPublish(endpoint, 'mona', 'Bad', version, { archive, metadata: { description: 'bad' } }, bearer, extra);
  expectProblem(answer, status, detail);
  expect(await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'swift', namespace: 'mona', name: 'bad' })).toBeUndefined();
  expect(await blobCount()).toBe(blobsBefore);
  expect(stagedFiles()).toEqual([]);
}

const manifestEntry = { name: 'Bad/Package.swift', content: MANIFEST };

describe('source archives that are refused', () => {
  it('an entry with ../ in its path', async () => {
    await refusedPublish(zipBytes([manifestEntry, { name: 'Bad/../../escaped.swift', content: 'x' }]), 422, /would be unpacked outside the package folder/);
  });

  it('an entry with an absolute path', async () => {
    await refusedPublish(zipBytes([manifestEntry, { name: '/etc/profile.d/escaped.sh', content: 'x' }]), 422, /would be unpacked outside the package folder/);
  });

  it('a symbolic link pointing out of the package (one pointing inside is kept)', async () => {
    const link = (name: string, target: string) => ({ name, content: target, method: 0 as const, unixMode: 0o120777 });
    await refusedPublish(
      zipBytes([manifestEntry, link('Bad/Sources/escape', '../../../etc')]),
      422,
      /symbolic link "Bad\/Sources\/escape" points outside the package/,
    );
    await refusedPublish(zipBytes([manifestEntry, link('Bad/absolute', '/etc/passwd')]), 422, /symbolic link "Bad\/absolute" points outside the package/);
    const inside = await registryPublish(
      endpoint,
      'mona',
      'Linked',
      '1.0.0',
      {
        archive: zipBytes([
          { name: 'Linked/Package.swift', content: MANIFEST },
          { name: 'Linked/README.md', content: 'x' },
          link('Linked/Sources/README.md', '../README.md'),
        ]),
      },
      bearer,
    );
    expect(inside.status, inside.body.toString()).toBe(201);
  });

  it('two entries that unpack to one file, which could make the served manifest differ from the one built', async () => {
    const other = { name: 'Bad/Package.swift', content: '// swift-tools-version:5.9\nimport PackageDescription\nlet package = Package(name: "Other")\n' };
    await refusedPublish(zipBytes([manifestEntry, other]), 422, /entry "Bad\/Package\.swift" appears twice/);
    await refusedPublish(
      zipBytes([manifestEntry, { ...other, name: 'Bad/./Package.swift' }]),
      422,
      /"Bad\/\.\/Package\.swift" has an empty or "\." path component/,
    );
    await refusedPublish(
      zipBytes([manifestEntry, { ...other, name: 'Bad//Package.swift' }]),
      422,
      /"Bad\/\/Package\.swift" has an empty or "\." path component/,
    );
    await refusedPublish(zipBytes([manifestEntry, { ...other, name: 'Bad/package.swift' }]), 422, /"Bad\/package\.swift" appears twice .*case-insensitive/);
    await refusedPublish(zipBytes([manifestEntry, { name: 'Bad/Sources/', content: '' }, { name: 'Bad/sources/', content: '' }]), 422, /appears twice/);
  });

  it('a manifest that is a symbolic link, since the registry serves manifests as the files it read', async () => {
    const link = { name: 'Bad/Package@swift-5.9.swift', content: 'Sources/Other.swift', method: 0 as const, unixMode: 0o120777 };
    await refusedPublish(
      zipBytes([manifestEntry, { name: 'Bad/Sources/Other.swift', content: 'x' }, link]),
      422,
      /manifest "Bad\/Package@swift-5\.9\.swift" is a symbolic link/,
    );
  });

  it('a zip bomb: 64 MiB of zeros in a few kilobytes', async () => {
    const bomb = zipBytes([manifestEntry, { name: 'Bad/zeros.bin', content: '', declaredSize: 64 * 1024 * 1024, rawData: deflatedZeros(64) }]);
    expect(bomb.length).toBeLessThan(MAX_UPLOAD);
    await refusedPublish(bomb, 422, /more than 200 times its size, as a zip bomb does/);
  });

  it('a member that inflates to more than the size it declares', async () => {
    const liar = zipBytes([manifestEntry, { name: 'Bad/zeros.bin', content: '', declaredSize: 100, rawData: deflatedZeros(1) }]);
    await refusedPublish(liar, 422, /zeros\.bin.*cannot be unpacked: it unpacks to more than 100 bytes/);
  });

  it('no Package.swift in the top directory', async () => {
    await refusedPublish(
      zipBytes([
        { name: 'Bad/Sources/Bad/Bad.swift', content: 'x' },
        { name: 'Bad/Sources/Package.swift', content: MANIFEST },
      ]),
      422,
      /no Package\.swift in its top directory "Bad"/,
    );
  });

  it('entries under more than one top directory, or at the root', async () => {
    await refusedPublish(zipBytes([manifestEntry, { name: 'Other/file.swift', content: 'x' }]), 422, /2 top directories/);
    await refusedPublish(zipBytes([{ name: 'Package.swift', content: MANIFEST }]), 422, /"Package\.swift" is not inside a top directory/);
  });

  it('bytes that are not a zip archive', async () => {
    await refusedPublish(Buffer.from('PK but not really a zip archive'), 422, /it is not a zip archive/);
  });

  it('a body over the upload limit, with 413', async () => {
    await refusedPublish(
      sourceArchive('Bad', { extra: [{ name: 'Bad/big.bin', content: Buffer.alloc(MAX_UPLOAD + 1, 7), method: 0 }] }),
      413,
      /larger than this server's limit/,
    );
  });
});

describe('publishes refused for their address or headers', () => {
  it('a version that is not SemVer 2.0', async () => {
    for (const version of ['1.0', 'v1.0.0', '1.0.0.0', '01.0.0', '1.0.0-']) {
      await refusedPublish(sourceArchive('Bad'), 400, /is not a SemVer 2\.0 version/, version);
    }
  });

  it('an invalid scope or name', async () => {
    const invalidScope = await registryPublish(endpoint, '-mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad') }, bearer);
    expectProblem(invalidScope, 400, /is not a valid package scope/);
    const invalidName = await registryPublish(endpoint, 'mona', 'Bad.Name', '1.0.0', { archive: sourceArchive('Bad') }, bearer);
    expectProblem(invalidName, 400, /is not a valid package name/);
  });

  it('an unsupported Content-Version', async () => {
    await refusedPublish(sourceArchive('Bad'), 400, /Content-Version "2" is not supported/, '1.0.0', { 'content-version': '2' });
  });

  it('an Accept of another API version (415) or another kind of resource (415)', async () => {
    await refusedPublish(sourceArchive('Bad'), 415, /Registry API version 2 is not supported/, '1.0.0', { accept: 'application/vnd.swift.registry.v2+json' });
    await refusedPublish(
      sourceArchive('Bad'),
      415,
      /served as application\/vnd\.swift\.registry\.v1\+json, not application\/vnd\.swift\.registry\.v1\+zip/,
      '1.0.0',
      { accept: ACCEPT.zip },
    );
  });

  it('a body without a source archive, with an unknown part, or not multipart at all', async () => {
    const onlyMetadata = '--B\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{}\r\n--B--\r\n';
    const first = await send(`${endpoint}mona/Bad/1.0.0`, {
      method: 'PUT',
      headers: { accept: ACCEPT.json, 'content-type': 'multipart/form-data;boundary="B"', ...authorizationOf(bearer) },
      body: Buffer.from(onlyMetadata),
    });
    expectProblem(first, 422, /no source-archive part/);
    const { contentType, body } = publishBody({ archive: sourceArchive('Bad') }, 'XYZ');
    const unknown = await send(`${endpoint}mona/Bad/1.0.0`, {
      method: 'PUT',
      headers: { accept: ACCEPT.json, 'content-type': contentType, ...authorizationOf(bearer) },
      body: Buffer.from(body.toString('latin1').replace('name="source-archive"', 'name="sources"'), 'latin1'),
    });
    expectProblem(unknown, 422, /a part named "sources"/);
    const plain = await send(`${endpoint}mona/Bad/1.0.0`, {
      method: 'PUT',
      headers: { accept: ACCEPT.json, 'content-type': 'application/zip', ...authorizationOf(bearer) },
      body: sourceArchive('Bad'),
    });
    expectProblem(plain, 422, /not multipart\/form-data/);
    expect(stagedFiles()).toEqual([]);
  });

  it('metadata that is not a JSON object', async () => {
    const answer = await registryPublish(endpoint, 'mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad'), metadata: '{"description": ' }, bearer);
    expectProblem(answer, 422, /metadata part is not valid: it is not JSON/);
    const urls = await registryPublish(
      endpoint,
      'mona',
      'Bad',
      '1.0.0',
      { archive: sourceArchive('Bad'), metadata: { repositoryURLs: 'https://example.invalid/x' } },
      bearer,
    );
    expectProblem(urls, 422, /"repositoryURLs" must be an array of strings/);
    // SwiftPM decodes author.name as a required string and originalPublicationTime as a date:
    // a document without them would make the release unreadable to every client.
    const author = await registryPublish(
      endpoint,
      'mona',
      'Bad',
      '1.0.0',
      { archive: sourceArchive('Bad'), metadata: { author: { email: 'mona@example.invalid' } } },
      bearer,
    );
    expectProblem(author, 422, /"author\.name" is required and must be a string/);
    const organization = await registryPublish(
      endpoint,
      'mona',
      'Bad',
      '1.0.0',
      { archive: sourceArchive('Bad'), metadata: { author: { name: 'Mona', organization: { url: 'https://example.invalid' } } } },
      bearer,
    );
    expectProblem(organization, 422, /"author\.organization\.name" is required/);
    for (const originalPublicationTime of ['last tuesday', '2024-05-01', '2024-05-01T12:00:00.123Z']) {
      const time = await registryPublish(endpoint, 'mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad'), metadata: { originalPublicationTime } }, bearer);
      expectProblem(time, 422, /"originalPublicationTime" must be an ISO 8601 date and time in whole seconds/);
    }
    expect(stagedFiles()).toEqual([]);
  });

  it('a signature without its format header, a format SwiftPM does not know, or a format header without a signature', async () => {
    const answer = await registryPublish(endpoint, 'mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad'), archiveSignature: Buffer.from('sig') }, bearer);
    expectProblem(answer, 422, /X-Swift-Package-Signature-Format/);
    const unknown = await registryPublish(endpoint, 'mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad'), archiveSignature: Buffer.from('sig') }, bearer, {
      'x-swift-package-signature-format': 'pgp-2',
    });
    expectProblem(unknown, 422, /signature format "pgp-2" is not supported; SwiftPM signs with cms-1\.0\.0/);
    const unsigned = await registryPublish(endpoint, 'mona', 'Bad', '1.0.0', { archive: sourceArchive('Bad') }, bearer, {
      'x-swift-package-signature-format': 'cms-1.0.0',
    });
    expectProblem(unsigned, 422, /no signature part/);
  });

  it('a metadata part too large, with 413', async () => {
    const answer = await registryPublish(
      endpoint,
      'mona',
      'Bad',
      '1.0.0',
      { archive: sourceArchive('Bad'), metadata: { description: 'x'.repeat(1024 * 1024) } },
      bearer,
    );
    expectProblem(answer, 413, /metadata part is \d+ bytes; at most 1048576 are accepted/);
    expect(stagedFiles()).toEqual([]);
  });
});

describe('reads refused for their headers', () => {
  it('serves an Accept of the registry type without a version (the specification lets it leave the version out)', async () => {
    expect((await registryPublish(endpoint, 'mona', 'Unversioned', '1.0.0', { archive: sourceArchive('Unversioned') }, bearer)).status).toBe(201);
    for (const [url, accept] of [
      ['mona/Unversioned', 'application/vnd.swift.registry+json'],
      ['mona/Unversioned/1.0.0', 'application/vnd.swift.registry'],
      ['mona/Unversioned/1.0.0.zip', 'application/vnd.swift.registry+zip'],
      ['mona/Unversioned/1.0.0/Package.swift', 'application/vnd.swift.registry+swift'],
    ]) {
      const answer = await send(`${endpoint}${url}`, { headers: { accept, ...authorizationOf(bearer) } });
      expect([url, answer.status, answer.headers['content-version']]).toEqual([url, 200, '1']);
    }
    // The version may be left out, the kind still has to fit.
    expectProblem(
      await registryGet(`${endpoint}mona/Unversioned/1.0.0.zip`, 'zip', bearer, { accept: 'application/vnd.swift.registry+json' }),
      415,
      /served as application\/vnd\.swift\.registry\.v1\+zip/,
    );
  });

  it('answers 415 for another API version or kind, 400 for a bad Content-Version, and serves a plain Accept', async () => {
    expect((await registryPublish(endpoint, 'mona', 'Good', '1.0.0', { archive: sourceArchive('Good') }, bearer)).status).toBe(201);
    expectProblem(
      await registryGet(`${endpoint}mona/Good`, 'json', bearer, { accept: 'application/vnd.swift.registry.v2+json' }),
      415,
      /API version 2 is not supported/,
    );
    expectProblem(
      await registryGet(`${endpoint}mona/Good/1.0.0.zip`, 'zip', bearer, { accept: ACCEPT.json }),
      415,
      /served as application\/vnd\.swift\.registry\.v1\+zip/,
    );
    expectProblem(await registryGet(`${endpoint}mona/Good/1.0.0/Package.swift`, 'swift', bearer, { accept: 'text/html' }), 415, /does not allow it/);
    // A version that is not a number is invalid (400), a number other than 1 unsupported (415).
    expectProblem(
      await registryGet(`${endpoint}mona/Good`, 'json', bearer, { accept: 'application/vnd.swift.registry.vnext+json' }),
      400,
      /API version "next", which is not a version number/,
    );
    expectProblem(await registryGet(`${endpoint}mona/Good/1.0.0`, 'json', bearer, { 'content-version': '3' }), 400, /Content-Version "3" is not supported/);
    expectProblem(await registryGet(`${endpoint}mona/Good/1.0.0/Package.swift?swift-version=five`, 'swift', bearer), 400, /not a Swift version/);
    expectProblem(await registryGet(`${endpoint}identifiers`, 'json', bearer), 400, /url query parameter is required/);
    // Without an Accept naming the registry, version 1 is served (the specification allows it).
    const plain = await send(`${endpoint}mona/Good/1.0.0`, { headers: { accept: 'application/json', ...authorizationOf(bearer) } });
    expect([plain.status, plain.headers['content-version']]).toEqual([200, '1']);
    const none = await send(`${endpoint}mona/Good/1.0.0.zip`, { headers: authorizationOf(bearer) });
    expect(none.status).toBe(200);
    const versionOnly = await send(`${endpoint}mona/Good/1.0.0/Package.swift`, {
      headers: { accept: 'application/vnd.swift.registry.v1', ...authorizationOf(bearer) },
    });
    expect(versionOnly.status).toBe(200);
  });
});
