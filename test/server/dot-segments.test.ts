/**
 * Dot segments in a request path are refused before routing: URL parsing would resolve them,
 * so a path naming one repository would be answered from another (docs/server.md, the "Paths" item).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/operations/repositories.js';
import { hasDotSegment } from '../../src/server/dot-segments.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { sha256 } from '../operations/packages-fixture.js';

let t: InProcessServer;
beforeAll(async () => {
  t = await startInProcessServer({ tempPrefix: 'artifact-cli-dot-segments-' });
  await createRepository(t.store, { domain: 'acme', repository: 'other' });
  const body = 'kept in other';
  const put = await fetch(`${t.server.url}/acme/generic/other/ns/pkg/1.0/file.txt`, {
    method: 'PUT',
    body,
    headers: { authorization: `Bearer ${t.token}`, 'x-checksum-sha256': sha256(body) },
  });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await t.server.close(100);
});

/** The path exactly as given: fetch() would resolve the dot segments itself. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; reason?: string }> {
  const url = new URL(t.server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${t.token}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ...(res.statusCode === 200 ? {} : { reason: res.statusMessage }) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dot segments in request paths', () => {
  it('answers the repository a path names, and refuses one that would reach another through a dot segment', async () => {
    const straight = await rawGet('/acme/generic/other/ns/pkg/1.0/file.txt');
    expect(straight).toEqual({ status: 200, text: 'kept in other' });
    for (const path of [
      '/acme/generic/main/%2e%2e/other/ns/pkg/1.0/file.txt',
      '/acme/generic/main/%2E%2e/other/ns/pkg/1.0/file.txt',
      '/acme/generic/main/../other/ns/pkg/1.0/file.txt',
      '/acme/generic/main/.%2e/other/ns/pkg/1.0/file.txt',
      '/acme/generic/main\\..\\other/ns/pkg/1.0/file.txt',
      '/acme/generic/other/ns/pkg/1.0/./file.txt',
      '/acme/generic/other/ns/pkg/1.0/%2e/file.txt',
      '/v1/%2e%2e/v1/domains',
      '/-/ui/../acme',
    ]) {
      const answer = await rawGet(path);
      expect(answer.status, path).toBe(400);
      expect(answer.text, path).toContain("'.' or '..' segment");
      // twine and mvn show only the status line.
      expect(answer.reason, path).toContain("'.' or '..' segment");
      expect(answer.text, path).not.toContain('kept in other');
      expect(answer.text, path).not.toContain(t.root);
    }
  });

  it('refuses them before a body is asked for, on an upload that waits for 100 Continue', async () => {
    const url = new URL(t.server.url);
    const answer = await new Promise<{ status: number; reason: string }>((resolve, reject) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: '/acme/generic/main/%2e%2e/other/ns/pkg/2.0/file.txt',
        headers: { authorization: `Bearer ${t.token}`, expect: '100-continue', 'content-length': '4' },
      });
      req.on('continue', () => reject(new Error('the server asked for the body')));
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '' });
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(400);
    expect(answer.reason).toContain("'.' or '..' segment");
    const stored = await rawGet('/acme/generic/other/ns/pkg/2.0/file.txt');
    expect(stored.status).toBe(404);
  });

  it('lets through names that only contain dots', () => {
    for (const path of [
      '/acme/npm/main/x/-/x-1.0.0.tgz',
      '/acme/generic/main/ns/.hidden/1.0/a..b',
      '/acme/generic/main/ns/pkg/.../x',
      '/acme/npm/main/x?q=/../',
    ]) {
      expect(hasDotSegment(path), path).toBe(false);
    }
    expect(hasDotSegment('/acme/npm/main/..')).toBe(true);
  });
});
