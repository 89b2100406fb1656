/**
 * Conformance with the service model: every one of its operations, built from the model's
 * input shape, reaches its handler on a real `serve` and answers 2xx with exactly what the
 * model's output shape allows (member names, types, required members, header members).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type AccessKey, type ApiResponse } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildRequest, OPERATIONS, outputShapeOf, shapeProblems } from './model-shapes.js';

const ASSET = Buffer.from('conformance asset\n');
const NEW_ASSET = Buffer.from('second version\n');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const repositoryArn = 'arn:aws:codeartifact:local:000000000000:repository/dom/repo';
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' }] });

const BASE = { domain: 'dom', repository: 'repo', format: 'generic', namespace: 'ns', package: 'p', packageVersion: '1.0' };
const GROUP = { domain: 'dom', packageGroup: '/generic/ns/*' };

// Creates before reads, reads before changes, deletes last, so every call can succeed.
const CALLS: [string, Record<string, unknown>][] = [
  ['CreateDomain', { domain: 'dom2' }],
  ['DescribeDomain', { domain: 'dom' }],
  ['ListDomains', {}],
  ['CreateRepository', { domain: 'dom', repository: 'repo3', description: 'made by the API', upstreams: [{ repositoryName: 'repo' }] }],
  ['DescribeRepository', { domain: 'dom', repository: 'repo3' }],
  ['ListRepositories', {}],
  ['ListRepositoriesInDomain', { domain: 'dom' }],
  ['UpdateRepository', { domain: 'dom', repository: 'repo3', description: 'changed' }],
  ['AssociateExternalConnection', { domain: 'dom', repository: 'repo3', externalConnection: 'public:npmjs' }],
  ['DisassociateExternalConnection', { domain: 'dom', repository: 'repo3', externalConnection: 'public:npmjs' }],
  ['TagResource', { resourceArn: repositoryArn, tags: [{ key: 'team', value: 'api' }] }],
  ['ListTagsForResource', { resourceArn: repositoryArn }],
  ['UntagResource', { resourceArn: repositoryArn, tagKeys: ['team'] }],
  ['GetAuthorizationToken', { domain: 'dom', durationSeconds: 900 }],
  ['GetRepositoryEndpoint', { domain: 'dom', repository: 'repo', format: 'npm' }],
  ['PutDomainPermissionsPolicy', { domain: 'dom', policyDocument: ALLOW_ALL }],
  ['GetDomainPermissionsPolicy', { domain: 'dom' }],
  ['DeleteDomainPermissionsPolicy', { domain: 'dom' }],
  ['PutRepositoryPermissionsPolicy', { domain: 'dom', repository: 'repo', policyDocument: ALLOW_ALL }],
  ['GetRepositoryPermissionsPolicy', { domain: 'dom', repository: 'repo' }],
  ['DeleteRepositoryPermissionsPolicy', { domain: 'dom', repository: 'repo' }],
  ['PublishPackageVersion', { ...BASE, packageVersion: '2.0', assetName: 'b.txt', assetContent: NEW_ASSET, assetSHA256: sha(NEW_ASSET) }],
  ['ListPackages', { domain: 'dom', repository: 'repo' }],
  ['DescribePackage', BASE],
  ['ListPackageVersions', BASE],
  ['DescribePackageVersion', BASE],
  ['ListPackageVersionAssets', BASE],
  ['GetPackageVersionAsset', { ...BASE, asset: 'a.txt' }],
  ['GetPackageVersionReadme', BASE],
  ['ListPackageVersionDependencies', BASE],
  ['PutPackageOriginConfiguration', { ...BASE, restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } }],
  [
    'CopyPackageVersions',
    { domain: 'dom', sourceRepository: 'repo', destinationRepository: 'repo2', format: 'generic', namespace: 'ns', package: 'p', versions: ['1.0'] },
  ],
  ['UpdatePackageVersionsStatus', { ...BASE, versions: ['1.0'], targetStatus: 'Unlisted' }],
  ['CreatePackageGroup', { ...GROUP, description: 'the ns packages' }],
  ['DescribePackageGroup', GROUP],
  ['ListPackageGroups', { domain: 'dom' }],
  ['UpdatePackageGroup', { ...GROUP, contactInfo: 'api@example.test' }],
  [
    'UpdatePackageGroupOriginConfiguration',
    {
      ...GROUP,
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'PUBLISH', repositoryName: 'repo' }],
    },
  ],
  ['ListAllowedRepositoriesForGroup', { ...GROUP, originRestrictionType: 'PUBLISH' }],
  ['GetAssociatedPackageGroup', { domain: 'dom', format: 'generic', namespace: 'ns', package: 'p' }],
  ['ListAssociatedPackages', GROUP],
  ['ListSubPackageGroups', { domain: 'dom', packageGroup: '/*' }],
  ['DeletePackageGroup', GROUP],
  ['DisposePackageVersions', { ...BASE, versions: ['2.0'] }],
  ['DeletePackageVersions', { ...BASE, versions: ['2.0'] }],
  ['DeletePackage', { ...BASE, repository: 'repo2' }],
  ['DeleteRepository', { domain: 'dom', repository: 'repo3' }],
  ['DeleteDomain', { domain: 'dom2' }],
];

let server: TestServer;
let key: AccessKey;

beforeAll(async () => {
  const root = makeTempDir('artifact-cli-api-conformance-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'dom'], { root });
  for (const repository of ['repo', 'repo2']) await runCliJson(['create-repository', '--domain', 'dom', '--repository', repository], { root });
  const file = path.join(makeTempDir(), 'a.txt');
  writeFileSync(file, ASSET);
  await runCliJson(
    [
      'publish-package-version',
      '--domain',
      'dom',
      '--repository',
      'repo',
      '--format',
      'generic',
      '--namespace',
      'ns',
      '--package',
      'p',
      '--package-version',
      '1.0',
      '--asset-name',
      'a.txt',
      '--asset-content',
      file,
      '--asset-sha256',
      sha(ASSET),
    ],
    { root },
  );
  server = await startTestServer({ root });
});

function call(name: string, input: Record<string, unknown>): Promise<ApiResponse> {
  const request = buildRequest(name, input);
  const declareHash = Boolean(input.assetSHA256);
  return signedRequest(server.url, { ...request, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, declareHash });
}

describe('every operation of the service model', () => {
  it('is called below, once each', () => {
    expect(CALLS.map(([name]) => name).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('answers each call with its output shape', async () => {
    const failures: string[] = [];
    for (const [name, input] of CALLS) {
      const response = await call(name, input);
      const output = outputShapeOf(name);
      if (response.status < 200 || response.status > 299) {
        failures.push(`${name}: ${response.status} ${String(response.headers['x-amzn-errortype'])} ${response.body.toString('utf8').slice(0, 300)}`);
        continue;
      }
      const headerMembers = Object.entries(output.members ?? {}).filter(([, member]) => member.location === 'header');
      for (const [member, ref] of headerMembers) {
        if (output.required?.includes(member) && response.headers[ref.locationName!.toLowerCase()] === undefined)
          failures.push(`${name}: header ${ref.locationName} missing`);
      }
      if (output.payload) {
        // The streaming answer: the asset's own bytes and its headers.
        expect(response.body.equals(ASSET), name).toBe(true);
        expect(response.headers['x-assetname']).toBe('a.txt');
        expect(response.headers['x-packageversion']).toBe('1.0');
        expect(response.headers['x-packageversionrevision']).toMatch(/\S/);
        continue;
      }
      failures.push(...shapeProblems(output.name, response.json()).map((problem) => `${name}: ${problem}`));
    }
    expect(failures).toEqual([]);
  });
});
