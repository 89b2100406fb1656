/**
 * Errors over the API name the operation's input members, not the CLI's flags: the operations
 * word their messages for the CLI (`--next-token is not a token this command returned`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { flagOfMember, inMemberWords } from '../../src/api/member-words.js';
import { findOperation } from '../../src/api/model.js';
import { AWS_INPUTS } from '../../src/cli/aws-input-shapes.js';
import { signedRequest, type AccessKey } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('flag to member', () => {
  it("gives every member of the model the AWS CLI's flag", () => {
    for (const members of Object.values(AWS_INPUTS)) {
      for (const member of members) expect(`--${flagOfMember(member.name)}`, member.name).toBe(member.flag);
    }
  });

  it("rewrites the operation's flags only", () => {
    const copy = findOperation('POST', '/v1/package/versions/copy')!.input!.shape;
    expect(inMemberWords('Pass either --versions or --version-revisions, not both and not neither.', copy)).toBe(
      'Pass either versions or versionRevisions, not both and not neither.',
    );
    // Not a member of CopyPackageVersions, and not a flag at all.
    expect(inMemberWords('--principal is wrong; package "a--versions" too.', copy)).toBe('--principal is wrong; package "a--versions" too.');
  });
});

describe('errors over the API', () => {
  let server: TestServer;
  let key: AccessKey;

  beforeAll(async () => {
    const root = makeTempDir('artifact-cli-api-member-words-');
    key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    server = await startTestServer({ root });
  });

  it('name the member a script sent', async () => {
    const call = (path: string, body: object) =>
      signedRequest(server.url, {
        method: 'POST',
        path,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
        accessKeyId: key.AccessKeyId,
        secretAccessKey: key.SecretAccessKey,
      });
    const badToken = await call('/v1/domains', { nextToken: 'not-a-token' });
    expect({ status: badToken.status, message: badToken.json().message }).toEqual({
      status: 400,
      message: 'nextToken is not a token this command returned.',
    });
    const token = await call('/v1/authorization-token?domain=acme&duration=899', {});
    expect(token.json().message).toMatch(/^durationSeconds must be 0 or/);
  });
});
