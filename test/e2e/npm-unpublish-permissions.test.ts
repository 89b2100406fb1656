/**
 * npm's unpublish and deprecate against a permissions policy, with the real npm client: each
 * write needs the action it performs, and removing versions never removes the package record
 * with its origin controls unless the principal may DeletePackage (docs/npm-writes.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { DOMAIN, findClient, REPOSITORY, setupNpmRegistry } from './helpers/npm-clients.js';

const npm = findClient('npm');

describe.skipIf(!npm)('npm unpublish and deprecate under a permissions policy', () => {
  it('checks each against the action it performs and keeps origin controls without DeletePackage', async () => {
    const setup = await setupNpmRegistry();
    const client = npm as string;
    const cwd = setup.emptyProject();
    await setup.runOk(client, ['publish'], setup.fixtureCopy('left-pad-lite', '1.0.0'));
    await setup.runOk(client, ['publish'], setup.fixtureCopy('left-pad-lite', '1.1.0'));
    const packageArgs = ['--domain', DOMAIN, '--repository', REPOSITORY, '--format', 'npm', '--package', 'left-pad-lite'];
    await runCliJson(['put-package-origin-configuration', ...packageArgs, '--restrictions', 'publish=ALLOW,upstream=BLOCK'], { root: setup.root });

    const allow = (principal: string, actions: string[]) => ({
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: actions.map((action) => `codeartifact:${action}`),
      Resource: '*',
    });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        allow('admin', ['*']),
        allow('publisher', ['ReadFromRepository', 'PublishPackageVersion']),
        allow('cleaner', ['ReadFromRepository', 'DeletePackageVersions']),
      ],
    };
    await runCliJson(['put-domain-permissions-policy', '--domain', DOMAIN, '--policy-document', JSON.stringify(policy)], { root: setup.root });
    const npmrc = path.join(setup.home, '.npmrc');
    let current = setup.token;
    const useToken = async (principal: string) => {
      const { authorizationToken } = await runCliJson<{ authorizationToken: string }>(
        ['get-authorization-token', '--domain', DOMAIN, '--principal', principal],
        { root: setup.root },
      );
      writeFileSync(npmrc, readFileSync(npmrc, 'utf8').replace(current, authorizationToken));
      current = authorizationToken;
    };
    const versions = async () =>
      (await runCliJson<{ versions: { version: string }[] }>(['list-package-versions', ...packageArgs], { root: setup.root })).versions
        .map((entry) => entry.version)
        .sort();
    const restrictions = async () =>
      (await runCliJson<{ package: { originConfiguration: { restrictions: unknown } } }>(['describe-package', ...packageArgs], { root: setup.root })).package
        .originConfiguration.restrictions;

    await useToken('publisher');
    const refused = await setup.run(client, ['unpublish', 'left-pad-lite@1.1.0', '--force'], cwd);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('E403');
    expect(refused.stderr).toContain('may not perform codeartifact:DeletePackageVersions');
    expect(await versions()).toEqual(['1.0.0', '1.1.0']);
    await setup.runOk(client, ['deprecate', 'left-pad-lite@1.0.0', 'use 1.1.0'], cwd);

    await useToken('cleaner');
    await setup.runOk(client, ['unpublish', 'left-pad-lite@1.1.0', '--force'], cwd);
    expect(await versions()).toEqual(['1.0.0']);
    await setup.runOk(client, ['unpublish', 'left-pad-lite', '--force'], cwd);
    expect(await versions()).toEqual([]);
    expect(await restrictions()).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
    // Nothing left but the record: removing it is DeletePackage, which the cleaner lacks.
    const recordOnly = await setup.run(client, ['unpublish', 'left-pad-lite', '--force'], cwd);
    expect(recordOnly.code).not.toBe(0);
    expect(recordOnly.stderr).toContain('may not perform codeartifact:DeletePackage ');
    expect(await restrictions()).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });

    await useToken('admin');
    await setup.runOk(client, ['unpublish', 'left-pad-lite', '--force'], cwd);
    const gone = await runCli(['describe-package', ...packageArgs], { root: setup.root });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/ResourceNotFound/);
  });
});
