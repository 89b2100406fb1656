/** create-access-key, list-access-keys and delete-access-key: IAM's shapes, and their bad input. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('access key commands', () => {
  it('create, list and delete keys in the shapes IAM uses', async () => {
    const root = makeTempDir('artifact-cli-access-keys-');
    const created = await runCliJson<{ AccessKey: Record<string, string> }>(['create-access-key', '--principal', 'ci-bot'], { root });
    expect(Object.keys(created.AccessKey).sort()).toEqual(['AccessKeyId', 'CreateDate', 'SecretAccessKey', 'Status', 'UserName']);
    expect(created.AccessKey).toMatchObject({ UserName: 'ci-bot', Status: 'Active' });
    expect(created.AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.AccessKey.SecretAccessKey).toHaveLength(40);
    expect(statSync(path.join(root, 'access-keys.json')).mode & 0o777).toBe(0o600);

    const other = await runCliJson<{ AccessKey: Record<string, string> }>(['create-access-key', '--principal', 'other'], { root });
    const listed = await runCli(['list-access-keys', '--principal', 'ci-bot'], { root });
    expect(JSON.parse(listed.stdout)).toEqual({
      AccessKeyMetadata: [{ UserName: 'ci-bot', AccessKeyId: created.AccessKey.AccessKeyId, Status: 'Active', CreateDate: created.AccessKey.CreateDate }],
    });
    expect(listed.stdout).not.toContain(created.AccessKey.SecretAccessKey);

    const deleted = await runCli(['delete-access-key', '--access-key-id', created.AccessKey.AccessKeyId], { root });
    expect(deleted.code, deleted.stderr).toBe(0);
    const left = await runCliJson<{ AccessKeyMetadata: { AccessKeyId: string }[] }>(['list-access-keys'], { root });
    expect(left.AccessKeyMetadata.map((key) => key.AccessKeyId)).toEqual([other.AccessKey.AccessKeyId]);
  });

  it('refuses bad input with one-line errors', async () => {
    const root = makeTempDir('artifact-cli-access-keys-bad-');
    const noPrincipal = await runCli(['create-access-key'], { root });
    expect({ code: noPrincipal.code, stderr: noPrincipal.stderr.split('\n')[0] }).toEqual({ code: 2, stderr: 'error Validation: --principal is required.' });
    const badPrincipal = await runCli(['create-access-key', '--principal', 'a b'], { root });
    expect(badPrincipal.code).toBe(2);
    expect(badPrincipal.stderr).toMatch(/^error Validation: --principal "a b" is not a principal name/);
    const badId = await runCli(['delete-access-key', '--access-key-id', 'nope'], { root });
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/^error Validation: --access-key-id "nope" is not an access key ID/);
    const unknown = await runCli(['delete-access-key', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA'], { root });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/^error ResourceNotFound: There is no access key AKIAAAAAAAAAAAAAAAAA\./);
  });
});
