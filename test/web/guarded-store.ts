/**
 * A store for the web interface's sign-in tests, made with the CLI: domain "acme" with
 * repositories "main" (a generic package "tools:visible-tool") and "secret" (a generic package
 * "tools:secret-tool"), a domain policy that lets "admin" do anything and "reader" read
 * everything but "secret", and a token for each. The server runs without anonymous reads.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryArn } from '../../src/core/arn.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface GuardedStore {
  root: string;
  server: TestServer;
  readerToken: string;
  adminToken: string;
}

export async function startGuardedStore(serveArgs: string[] = []): Promise<GuardedStore> {
  const root = makeTempDir('artifact-cli-web-guarded-');
  const cli = <T>(args: string[]) => runCliJson<T>(args, { root });
  await cli(['create-domain', '--domain', 'acme']);
  await cli(['create-repository', '--domain', 'acme', '--repository', 'main']);
  await cli(['create-repository', '--domain', 'acme', '--repository', 'secret']);
  const file = path.join(makeTempDir('web-asset-'), 'tool.txt');
  writeFileSync(file, 'a tool\n');
  const sha256 = createHash('sha256').update('a tool\n').digest('hex');
  for (const [repository, name] of [
    ['main', 'visible-tool'],
    ['secret', 'secret-tool'],
  ]) {
    await cli([
      'publish-package-version',
      '--domain',
      'acme',
      '--repository',
      repository,
      '--format',
      'generic',
      '--namespace',
      'tools',
      '--package',
      name,
      '--package-version',
      '1.0.0',
      '--asset-name',
      'tool.txt',
      '--asset-content',
      file,
      '--asset-sha256',
      sha256,
    ]);
  }
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'admins', Effect: 'Allow', Principal: { AWS: 'admin' }, Action: 'codeartifact:*', Resource: '*' },
      { Sid: 'readers', Effect: 'Allow', Principal: { AWS: 'reader' }, Action: 'codeartifact:ReadFromRepository', Resource: '*' },
      {
        Sid: 'not-the-secret',
        Effect: 'Deny',
        Principal: { AWS: 'reader' },
        Action: 'codeartifact:ReadFromRepository',
        Resource: repositoryArn('acme', 'secret'),
      },
    ],
  };
  await cli(['put-domain-permissions-policy', '--domain', 'acme', '--policy-document', JSON.stringify(policy)]);
  const token = async (principal: string) =>
    (await cli<{ authorizationToken: string }>(['get-authorization-token', '--domain', 'acme', '--principal', principal])).authorizationToken;
  const readerToken = await token('reader');
  const adminToken = await token('admin');
  const server = await startTestServer({ root, args: serveArgs });
  return { root, server, readerToken, adminToken };
}
