/**
 * A publish through every other protocol (mvn deploy's PUT, nuget push, cargo publish, gem push,
 * swift package-registry publish) on a store that cannot be written (failStoreWrites): the
 * store's failure in each client's error shape, with the status its client shows (507 full, 503
 * read-only), the words and no server path; nothing is named in an index, and the same publish
 * succeeds once the disk has room. npm and twine: test/formats/{npm,pypi}/store-failures.test.ts.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import { buildCrate, publishBody as cratePublishBody } from '../helpers/cargo-crate.js';
import { failStoreWrites, type StoreErrno } from '../helpers/failing-store.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { buildJar } from '../helpers/maven-harness.js';
import { NuGetClient } from '../helpers/nuget-client.js';
import { buildNupkg } from '../helpers/nupkg.js';
import { buildGem } from '../helpers/ruby-gem.js';
import { MANIFEST, registryPublish, sourceArchive } from '../formats/swift/swiftpm-exchange.js';

let h: InProcessServer;

beforeAll(async () => {
  h = await startInProcessServer({ tempPrefix: 'artifact-cli-store-failures-' });
});
afterAll(async () => {
  await h.server.close(1000);
});

interface Answer {
  status: number;
  reason: string;
  body: string;
}

interface Protocol {
  name: string;
  key(suffix: string): PackageKey;
  publish(suffix: string): Promise<Answer>;
  /** Where the client finds the words it prints. */
  words(answer: Answer): string;
  published: number;
}

const endpoint = (format: string) => `${h.server.url}/acme/${format}/main/`;

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, reason: response.statusText, body: await response.text() };
}

const PROTOCOLS: Protocol[] = [
  {
    name: 'maven (mvn deploy)',
    key: (suffix) => ({ domain: 'acme', repository: 'main', format: 'maven', namespace: 'com.acme', name: `full-${suffix}` }),
    publish: async (suffix) =>
      answerOf(
        await fetch(`${endpoint('maven')}com/acme/full-${suffix}/1.0.0/full-${suffix}-1.0.0.jar`, {
          method: 'PUT',
          headers: { authorization: `Basic ${Buffer.from(`aws:${h.token}`).toString('base64')}` },
          body: new Uint8Array(buildJar()),
        }),
      ),
    // Maven prints the status line's reason phrase.
    words: (answer) => answer.reason,
    published: 201,
  },
  {
    name: 'nuget push',
    key: (suffix) => ({ domain: 'acme', repository: 'main', format: 'nuget', name: `acme.full.${suffix}` }),
    publish: async (suffix) => {
      const client = new NuGetClient(`${endpoint('nuget')}v3/index.json`, { username: 'aws', password: h.token });
      const response = await client.push(buildNupkg({ id: `Acme.Full.${suffix}`, version: '1.0.0' }).bytes);
      return { status: response.status, reason: response.statusMessage, body: response.body.toString() };
    },
    // NuGet prints the status and its reason phrase.
    words: (answer) => answer.reason,
    published: 201,
  },
  {
    name: 'cargo publish',
    key: (suffix) => ({ domain: 'acme', repository: 'main', format: 'cargo', name: `full-${suffix}` }),
    publish: async (suffix) =>
      answerOf(
        await fetch(`${endpoint('cargo')}api/v1/crates/new`, {
          method: 'PUT',
          headers: { authorization: h.token, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(cratePublishBody({ name: `full-${suffix}`, vers: '1.0.0' }, buildCrate(`full-${suffix}`, '1.0.0'))),
        }),
      ),
    // cargo prints errors[].detail.
    words: (answer) => (JSON.parse(answer.body) as { errors: { detail: string }[] }).errors[0].detail,
    published: 200,
  },
  {
    name: 'gem push',
    key: (suffix) => ({ domain: 'acme', repository: 'main', format: 'ruby', name: `full-${suffix}` }),
    publish: async (suffix) =>
      answerOf(
        await fetch(`${endpoint('ruby')}api/v1/gems`, {
          method: 'POST',
          headers: { authorization: h.token, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(buildGem({ name: `full-${suffix}`, version: '1.0.0' }).bytes),
        }),
      ),
    // gem prints the body.
    words: (answer) => answer.body,
    published: 200,
  },
  {
    name: 'swift package-registry publish',
    key: (suffix) => ({ domain: 'acme', repository: 'main', format: 'swift', namespace: 'mona', name: `full${suffix}` }),
    publish: async (suffix) => {
      const name = `Full${suffix}`;
      const archive = sourceArchive(name, { manifests: { 'Package.swift': MANIFEST } });
      const exchange = await registryPublish(endpoint('swift'), 'mona', name, '1.0.0', { archive }, { bearer: h.token });
      return { status: exchange.status, reason: '', body: exchange.body.toString() };
    },
    // SwiftPM prints the problem document's detail.
    words: (answer) => (JSON.parse(answer.body) as { detail: string }).detail,
    published: 201,
  },
];

const CASES: [StoreErrno, number, string][] = [
  ['ENOSPC', 507, 'The store has no space left on its device.'],
  ['EROFS', 503, 'The store is on a read-only file system.'],
];

describe.each(PROTOCOLS)('$name on a store that cannot be written', (protocol) => {
  it.each(CASES)('answers %s with %i and the words its client prints, keeps nothing, and publishes once the disk has room', async (code, status, words) => {
    const suffix = code.toLowerCase();
    const disk = failStoreWrites(h.store, code);
    let answer: Answer;
    try {
      answer = await protocol.publish(suffix);
    } finally {
      disk.recover();
    }
    expect(answer.status, answer.body).toBe(status);
    expect(protocol.words(answer)).toContain(words);
    for (const secret of [h.root, os.tmpdir(), code]) expect(`${answer.reason}\n${answer.body}`).not.toContain(secret);
    expect((await h.store.index.getPackage(protocol.key(suffix)))?.versions ?? {}).toEqual({});

    const again = await protocol.publish(suffix);
    expect(again.status, again.body).toBe(protocol.published);
    expect(Object.keys((await h.store.index.getPackage(protocol.key(suffix)))?.versions ?? {})).toEqual(['1.0.0']);
  });
});
