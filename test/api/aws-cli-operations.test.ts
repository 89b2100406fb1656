/**
 * Every operation through the real AWS CLIs, using only the profile `login --tool aws` wrote
 * (plus --endpoint-url for Debian's 2.9, which predates endpoint_url in profiles): each call
 * succeeds, and each read answers the same JSON as artifact-cli's command of the same name and
 * arguments. Commands a client's own (older) model lacks are run with artifact-cli instead and
 * listed; 1.x must know them all.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAwsClients, runAws, type AwsClient } from '../helpers/aws-clients.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { keepKnown, normaliseAwsOutput as normalise } from '../helpers/aws-output.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { OPERATIONS } from './model-shapes.js';

const clients = findAwsClients();
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' }] });

let root: string;
let server: TestServer;
let files: string;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-every-op-');
  files = makeTempDir('artifact-cli-api-every-op-files-');
  writeFileSync(path.join(files, 'a.txt'), 'first\n');
  writeFileSync(path.join(files, 'b.txt'), 'second\n');
  server = await startTestServer({ root });
});

/** [command, arguments, compare with artifact-cli]; `D` stands for the client's own domain. */
function calls(D: string, out: string): [string, string[], boolean][] {
  const repo = ['--domain', D, '--repository', 'repo'];
  const pkg = [...repo, '--format', 'generic', '--namespace', 'ns', '--package', 'p'];
  const group = ['--domain', D, '--package-group', '/generic/ns/*'];
  const arn = `arn:aws:codeartifact:local:000000000000:repository/${D}/repo`;
  return [
    ['create-domain', ['--domain', D], false],
    ['create-domain', ['--domain', `${D}-gone`], false],
    ['describe-domain', ['--domain', D], true],
    ['list-domains', [], true],
    ['create-repository', [...repo, '--description', 'main'], false],
    ['create-repository', ['--domain', D, '--repository', 'copy', '--upstreams', 'repositoryName=repo'], false],
    ['create-repository', ['--domain', D, '--repository', 'gone'], false],
    ['describe-repository', ['--domain', D, '--repository', 'copy'], true],
    ['list-repositories', [], true],
    ['list-repositories-in-domain', ['--domain', D], true],
    ['update-repository', [...repo, '--description', 'changed'], false],
    ['associate-external-connection', ['--domain', D, '--repository', 'gone', '--external-connection', 'public:npmjs'], false],
    ['disassociate-external-connection', ['--domain', D, '--repository', 'gone', '--external-connection', 'public:npmjs'], false],
    ['tag-resource', ['--resource-arn', arn, '--tags', 'key=team,value=api', 'key=gone,value=soon'], false],
    ['untag-resource', ['--resource-arn', arn, '--tag-keys', 'gone'], false],
    ['list-tags-for-resource', ['--resource-arn', arn], true],
    ['get-authorization-token', ['--domain', D, '--duration-seconds', '900'], false],
    ['get-repository-endpoint', [...repo, '--format', 'pypi'], true],
    ['put-domain-permissions-policy', ['--domain', D, '--policy-document', ALLOW_ALL], false],
    ['get-domain-permissions-policy', ['--domain', D], true],
    ['delete-domain-permissions-policy', ['--domain', D], false],
    ['put-repository-permissions-policy', [...repo, '--policy-document', ALLOW_ALL], false],
    ['get-repository-permissions-policy', repo, true],
    ['delete-repository-permissions-policy', repo, false],
    [
      'publish-package-version',
      [...pkg, '--package-version', '1.0', '--asset-name', 'a.txt', '--asset-content', path.join(files, 'a.txt'), '--asset-sha256', sha('first\n')],
      false,
    ],
    [
      'publish-package-version',
      [...pkg, '--package-version', '2.0', '--asset-name', 'b.txt', '--asset-content', path.join(files, 'b.txt'), '--asset-sha256', sha('second\n')],
      false,
    ],
    ['list-packages', repo, true],
    ['describe-package', pkg, true],
    ['list-package-versions', pkg, true],
    ['describe-package-version', [...pkg, '--package-version', '1.0'], true],
    ['list-package-version-assets', [...pkg, '--package-version', '1.0'], true],
    ['get-package-version-asset', [...pkg, '--package-version', '1.0', '--asset', 'a.txt', out], false],
    ['get-package-version-readme', [...pkg, '--package-version', '1.0'], true],
    ['list-package-version-dependencies', [...pkg, '--package-version', '1.0'], true],
    ['put-package-origin-configuration', [...pkg, '--restrictions', 'publish=ALLOW,upstream=BLOCK'], false],
    [
      'copy-package-versions',
      [
        '--domain',
        D,
        '--source-repository',
        'repo',
        '--destination-repository',
        'copy',
        '--format',
        'generic',
        '--namespace',
        'ns',
        '--package',
        'p',
        '--versions',
        '1.0',
      ],
      false,
    ],
    ['update-package-versions-status', [...pkg, '--versions', '1.0', '--target-status', 'Unlisted'], false],
    ['create-package-group', [...group, '--description', 'ns packages'], false],
    ['describe-package-group', group, true],
    ['list-package-groups', ['--domain', D], true],
    ['update-package-group', [...group, '--contact-info', 'team@example.test'], false],
    [
      'update-package-group-origin-configuration',
      [...group, '--restrictions', 'PUBLISH=ALLOW_SPECIFIC_REPOSITORIES', '--add-allowed-repositories', 'originRestrictionType=PUBLISH,repositoryName=repo'],
      false,
    ],
    ['list-allowed-repositories-for-group', [...group, '--origin-restriction-type', 'PUBLISH'], true],
    ['get-associated-package-group', ['--domain', D, '--format', 'generic', '--namespace', 'ns', '--package', 'p'], true],
    ['list-associated-packages', group, true],
    ['list-sub-package-groups', ['--domain', D, '--package-group', '/*'], true],
    ['delete-package-group', group, false],
    ['dispose-package-versions', [...pkg, '--versions', '2.0'], false],
    ['delete-package-versions', [...pkg, '--versions', '2.0'], false],
    ['delete-package', ['--domain', D, '--repository', 'copy', '--format', 'generic', '--namespace', 'ns', '--package', 'p'], false],
    ['delete-repository', ['--domain', D, '--repository', 'gone'], false],
    ['delete-domain', ['--domain', `${D}-gone`], false],
  ];
}

const toOperation = (command: string) => command.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

describe.skipIf(clients.length === 0).each(clients)('$label, through the profile login --tool aws wrote', (client: AwsClient) => {
  it('runs every operation the CLI knows, reads equal to artifact-cli', async () => {
    const home = makeTempDir('artifact-cli-every-op-home-');
    const login = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--principal', 'admin'], { root, env: { HOME: home } });
    expect(login.code, login.stderr).toBe(0);
    const extra = client.major === 1 ? [] : ['--endpoint-url', server.url];
    const D = `every-${client.major}`;
    const unknownToClient: string[] = [];
    const failures: string[] = [];
    const covered = new Set<string>();
    for (const [command, args, compare] of calls(D, path.join(home, 'asset.out'))) {
      const result = await runAws({ client, home, env: { AWS_DEFAULT_REGION: undefined } }, [
        '--profile',
        'artifact-cli',
        'codeartifact',
        command,
        ...args,
        ...extra,
        '--output',
        'json',
      ]);
      if (result.code !== 0 && /Invalid choice/.test(result.stderr)) {
        // artifact-cli does it instead, so the calls after it find what it makes.
        unknownToClient.push(command);
        await runCliJson([command, ...args], { root });
        continue;
      }
      if (result.code !== 0) {
        failures.push(`${command}: exit ${result.code}: ${result.stderr.trim().slice(0, 300)}`);
        continue;
      }
      covered.add(toOperation(command));
      if (!compare) continue;
      const viaApi = normalise(JSON.parse(result.stdout));
      const local = normalise(await runCliJson(['--endpoint-url', server.url, command, ...args], { root }));
      try {
        expect(viaApi).toEqual(client.major === 1 ? local : keepKnown(local, viaApi));
      } catch (error) {
        failures.push(`${command}: ${(error as Error).message.slice(0, 500)}`);
      }
    }
    expect(failures).toEqual([]);
    const all = Object.keys(OPERATIONS).sort();
    if (client.major === 1) expect([...covered].sort()).toEqual(all);
    else expect([...new Set([...covered, ...unknownToClient.map(toOperation)])].sort()).toEqual(all);
    if (unknownToClient.length) console.warn(`${client.label} has no command for: ${unknownToClient.join(', ')}`);
    // About a hundred process starts of a Python CLI: minutes on a loaded machine.
  }, 900_000);
});
