/**
 * A read-only principal with the real twine and mvn: a domain permissions policy lets "reader"
 * read only, so twine's upload and mvn deploy fail with 403 and the policy's reason, while the
 * reads mvn needs (its plugins, through the repository's chain) still work.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mavenIsUsable, setupMaven } from '../helpers/maven-clients.js';
import { findPythonClients, setupPypiClients } from '../helpers/pypi-clients.js';
import { buildWheel } from '../helpers/pypi-dist.js';
import { runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const READ_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'readers', Effect: 'Allow', Principal: { AWS: 'reader' }, Action: 'codeartifact:ReadFromRepository', Resource: '*' }],
});

async function readerToken(root: string): Promise<string> {
  await runCliJson(['put-domain-permissions-policy', '--domain', 'acme', '--policy-document', READ_ONLY], { root });
  return (await runCliJson<{ authorizationToken: string }>(['get-authorization-token', '--domain', 'acme', '--principal', 'reader'], { root }))
    .authorizationToken;
}

const python = findPythonClients();

describe.skipIf(!python.twine)('twine with a read-only principal', () => {
  it('is refused with 403 and the reason', async () => {
    const setup = await setupPypiClients();
    try {
      const token = await readerToken(setup.root);
      const [wheel] = setup.writeDists(buildWheel({ name: 'demo-pkg', version: '1.0' }));
      const result = await setup.run('twine', ['upload', '--non-interactive', '--repository-url', setup.endpoint('app'), '-u', 'aws', '-p', token, wheel]);
      expect(result.code).not.toBe(0);
      const output = result.stdout + result.stderr;
      expect(output).toContain('403');
      expect(output).toContain('reader may not perform codeartifact:PublishPackageVersion on repository app of domain acme');
    } finally {
      await setup.index.close();
    }
  });
});

const maven = mavenIsUsable();

describe.skipIf(!maven)('mvn with a read-only principal', () => {
  it('resolves its plugins but mvn deploy is refused with 403 and the reason', async () => {
    const setup = await setupMaven();
    try {
      const { settings, token } = await setup.login('main');
      writeFileSync(settings, readFileSync(settings, 'utf8').replace(token, await readerToken(setup.root)));
      const result = await setup.mvn(
        ['deploy', `-DaltDeploymentRepository=acme-main::${setup.endpoint('main')}`],
        setup.fixtureCopy('lib'),
        settings,
        makeTempDir('artifact-cli-mvn-local-'),
      );
      expect(result.code).not.toBe(0);
      // The build got as far as the deploy: every plugin was read through the repository.
      expect(result.output).toContain('maven-deploy-plugin:3.0.0:deploy');
      expect(result.output).toContain('status: 403');
      expect(result.output).toContain('reader may not perform codeartifact:PublishPackageVersion on repository main of domain acme');
    } finally {
      await setup.central.close();
    }
  }, 300_000);
});
