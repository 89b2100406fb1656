/**
 * A permissions policy with the real npm client: a token issued for a read-only principal
 * installs, and its `npm publish` fails with E403 and the policy's reason.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/run-cli.js';
import { DOMAIN, findClient, REPOSITORY, setupNpmRegistry } from './helpers/npm-clients.js';
import { stringMatching } from '../helpers/matchers.js';
import { parseJson } from '../helpers/json.js';

const npm = findClient('npm');

describe.skipIf(!npm)('permissions policies with the real npm client', () => {
  it('lets a read-only principal install but not publish', async () => {
    const setup = await setupNpmRegistry();
    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('left-pad-lite'));

    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'admins', Effect: 'Allow', Principal: { AWS: 'admin' }, Action: 'codeartifact:*', Resource: '*' },
        {
          Sid: 'readers',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::000000000000:user/reader' },
          Action: 'codeartifact:ReadFromRepository',
          Resource: '*',
        },
      ],
    };
    await runCliJson(['put-domain-permissions-policy', '--domain', DOMAIN, '--policy-document', JSON.stringify(policy)], { root: setup.root });
    // The user's .npmrc now holds a token that speaks for "reader".
    const { authorizationToken } = await runCliJson<{ authorizationToken: string }>(['get-authorization-token', '--domain', DOMAIN, '--principal', 'reader'], {
      root: setup.root,
    });
    const npmrc = path.join(setup.home, '.npmrc');
    writeFileSync(npmrc, readFileSync(npmrc, 'utf8').replace(setup.token, authorizationToken));

    const project = setup.emptyProject();
    await setup.runOk(npm as string, ['install', 'left-pad-lite', '--no-audit', '--no-fund'], project);
    expect(
      parseJson<{ packages: Record<string, unknown> }>(readFileSync(path.join(project, 'package-lock.json'), 'utf8')).packages['node_modules/left-pad-lite'],
    ).toMatchObject({
      version: '1.0.0',
      resolved: stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/acme\/npm\/main\/left-pad-lite\/-\/left-pad-lite-1\.0\.0\.tgz$/),
      integrity: stringMatching(/^sha512-/),
    });

    const publish = await setup.run(npm as string, ['publish'], setup.fixtureCopy('acme-util'));
    expect(publish.code).not.toBe(0);
    expect(publish.stderr).toContain('E403');
    expect(publish.stderr).toContain(`reader may not perform codeartifact:PublishPackageVersion on repository ${REPOSITORY} of domain ${DOMAIN}`);
  });
});
