import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { stringContaining } from '../../helpers/matchers.js';

async function setup(): Promise<string> {
  const root = makeTempDir();
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'internal'], { root });
  return root;
}

describe('permissions policy commands', () => {
  it('put from file:// or JSON text, get, and delete with revisions; refuses invalid documents with the reason', async () => {
    const root = await setup();
    const file = path.join(makeTempDir(), 'policy.json');
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'ci' }, Action: 'codeartifact:*', Resource: '*' }],
    });
    writeFileSync(file, document);
    const put = await runCliJson<{ policy: { revision: string; document: string } }>(
      ['put-domain-permissions-policy', '--domain', 'acme', '--policy-document', `file://${file}`],
      { root },
    );
    expect(put.policy.document).toBe(document);
    expect(await runCliJson(['get-domain-permissions-policy', '--domain', 'acme'], { root })).toEqual(put);

    const stale = await runCli(['put-domain-permissions-policy', '--domain', 'acme', '--policy-document', document, '--policy-revision', 'old'], { root });
    expect(stale.code).toBe(6);
    expect(stale.stderr).toContain(`permissions policy is at revision ${put.policy.revision}, not old`);

    const repository = await runCliJson<{ policy: { resourceArn: string } }>(
      ['put-repository-permissions-policy', '--domain', 'acme', '--repository', 'internal', '--policy-document', document],
      { root },
    );
    expect(repository.policy.resourceArn).toBe('arn:aws:codeartifact:local:000000000000:repository/acme/internal');

    const invalid = await runCli(
      [
        'put-repository-permissions-policy',
        '--domain',
        'acme',
        '--repository',
        'internal',
        '--policy-document',
        '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"codeartifact:*","Condition":{}}]}',
      ],
      { root },
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('The policy document is not valid: Statement 1 uses Condition, which artifact-cli does not evaluate');
    const missing = await runCli(['put-domain-permissions-policy', '--domain', 'acme', '--policy-document', 'file:///nonexistent/policy.json'], { root });
    expect(missing).toMatchObject({ code: 2, stderr: stringContaining('Cannot read /nonexistent/policy.json for --policy-document: ENOENT') });

    expect(await runCliJson(['delete-domain-permissions-policy', '--domain', 'acme', '--policy-revision', put.policy.revision], { root })).toEqual(put);
    expect((await runCli(['get-domain-permissions-policy', '--domain', 'acme'], { root })).code).toBe(5);
    expect((await runCli(['delete-repository-permissions-policy', '--domain', 'acme', '--repository', 'internal'], { root })).code).toBe(0);
  });
});
