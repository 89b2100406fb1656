/**
 * `login --tool aws`: a profile in the AWS shared files that the real AWS CLI uses with the
 * line login prints (1.x reads endpoint_url from the profile; Debian's 2.9 predates that, and
 * login prints its line with --endpoint-url), the rest of both files kept byte for byte, mode 0600, the key reused on a
 * second login, and a dry run that masks the secret and changes nothing.
 */
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAwsClients, runAws } from '../helpers/aws-clients.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const clients = findAwsClients();
const CREDENTIALS =
  '[default]\naws_access_key_id = AKIAEXISTINGEXAMPLE1\naws_secret_access_key = existing/secret\n\n# a comment the user keeps\n[work]\nregion=eu-west-1\n';
const CONFIG = '[default]\nregion = eu-west-1\noutput=json\n\n[profile work]\nregion = eu-west-1\n';

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-aws-login-');
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  server = await startTestServer({ root });
});

function homeWithFiles(): { home: string; env: NodeJS.ProcessEnv } {
  const home = makeTempDir('artifact-cli-aws-login-home-');
  mkdirSync(path.join(home, '.aws'));
  writeFileSync(path.join(home, '.aws', 'credentials'), CREDENTIALS);
  writeFileSync(path.join(home, '.aws', 'config'), CONFIG);
  return { home, env: { HOME: home } };
}

describe('login --tool aws', () => {
  it('writes the profile, keeps the rest of both files, and reuses the key the second time', async () => {
    const { home, env } = homeWithFiles();
    const first = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--principal', 'ci-bot'], { root, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Created access key AKIA[A-Z2-7]{16} for ci-bot/);
    const credentials = readFileSync(path.join(home, '.aws', 'credentials'), 'utf8');
    const config = readFileSync(path.join(home, '.aws', 'config'), 'utf8');
    const keys = await runCliJson<{ AccessKeyMetadata: { AccessKeyId: string; UserName: string }[] }>(['list-access-keys', '--principal', 'ci-bot'], { root });
    expect(keys.AccessKeyMetadata).toHaveLength(1);
    const id = keys.AccessKeyMetadata[0].AccessKeyId;
    expect(credentials).toMatch(new RegExp(`^${escape(CREDENTIALS)}\\n\\[artifact-cli\\]\\naws_access_key_id = ${id}\\naws_secret_access_key = \\S{40}\\n$`));
    expect(config).toBe(`${CONFIG}\n[profile artifact-cli]\nendpoint_url = ${server.url}\nregion = us-east-1\n`);
    for (const file of ['credentials', 'config']) expect(statSync(path.join(home, '.aws', file)).mode & 0o777).toBe(0o600);
    expect(first.stdout).not.toContain(credentials.match(/aws_secret_access_key = (\S{40})/)![1]);

    const second = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--principal', 'ci-bot'], { root, env });
    expect(second.stdout).toContain(`Reused access key ${id} for ci-bot`);
    expect(readFileSync(path.join(home, '.aws', 'credentials'), 'utf8')).toBe(credentials);
    expect((await runCliJson<{ AccessKeyMetadata: unknown[] }>(['list-access-keys', '--principal', 'ci-bot'], { root })).AccessKeyMetadata).toHaveLength(1);
  });

  it('shows a dry run with the secret masked, making no key and changing no file', async () => {
    const { home, env } = homeWithFiles();
    const dry = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--profile', 'local', '--principal', 'dry-bot', '--dry-run'], {
      root,
      env,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('[local]\naws_access_key_id = (a new access key for dry-bot)\naws_secret_access_key = ****************');
    expect(dry.stdout).toContain(`[profile local]\nendpoint_url = ${server.url}`);
    expect(readFileSync(path.join(home, '.aws', 'credentials'), 'utf8')).toBe(CREDENTIALS);
    expect(readFileSync(path.join(home, '.aws', 'config'), 'utf8')).toBe(CONFIG);
    expect((await runCliJson<{ AccessKeyMetadata: unknown[] }>(['list-access-keys', '--principal', 'dry-bot'], { root })).AccessKeyMetadata).toHaveLength(0);
  });

  it('refuses a bad profile name, and --profile without --tool aws', async () => {
    const { env } = homeWithFiles();
    const bad = await runCli(['login', '--tool', 'aws', '--profile', 'a b]'], { root, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error Validation: --profile "a b\]" is not a profile name/m);
    const misplaced = await runCli(['login', '--tool', 'npm', '--domain', 'acme', '--repository', 'x', '--profile', 'p'], { root, env });
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--profile and --principal are only for --tool aws');
  });

  it.each(clients)('lets $label call the API with the line login printed, run as printed', async (client) => {
    const { home, env } = homeWithFiles();
    // login asks the aws on PATH for its version: this client is the one found.
    const bin = makeTempDir('artifact-cli-aws-bin-');
    symlinkSync(client.command, path.join(bin, 'aws'));
    const loginEnv = { ...env, ...client.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const login = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--principal', `cli-${client.major}`], { root, env: loginEnv });
    expect(login.code, login.stderr).toBe(0);
    const printed = /run `aws (.*)`\./.exec(login.stdout)?.[1];
    expect(printed, login.stdout).toBeDefined();
    // Before, 2.9 was told `aws --profile artifact-cli codeartifact list-domains`, which goes to AWS.
    const listed = await runAws({ client, home, env: { AWS_DEFAULT_REGION: undefined } }, [...printed!.split(' '), '--output', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { domains: { name: string }[] }).domains.map((domain) => domain.name)).toEqual(['acme']);
  });

  it.each([
    ['2.9.19', true],
    ['1.27.0', true],
    ['2.13.0', false],
    ['1.29.10', false],
  ])('prints --endpoint-url in its line for an aws-cli/%s only when that one ignores the profile endpoint', async (version, needsFlag) => {
    const { env } = homeWithFiles();
    const bin = makeTempDir('artifact-cli-aws-bin-');
    writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\necho "aws-cli/${version} Python/3.11.2 Linux/6.1"\n`, { mode: 0o755 });
    const login = await runCli(['--endpoint-url', server.url, 'login', '--tool', 'aws', '--principal', 'version-bot'], {
      root,
      env: { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    expect(login.code, login.stderr).toBe(0);
    const line = needsFlag
      ? `aws --profile artifact-cli --endpoint-url ${server.url} codeartifact list-domains`
      : 'aws --profile artifact-cli codeartifact list-domains';
    expect(login.stdout).toContain(`run \`${line}\`.`);
    expect(login.stdout.includes(`(aws-cli/${version}) reads no endpoint_url`)).toBe(needsFlag);
  });
});

describe('the environment variables CI sets', () => {
  // Service-specific endpoint variables came with botocore 1.31 (AWS CLI 1.29, 2.13).
  const modern = clients.filter((client) => client.major === 1);
  it.each(modern)('let $label call the API with a key from create-access-key and no files', async (client) => {
    const key = (await runCliJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(['create-access-key', '--principal', 'ci'], { root }))
      .AccessKey;
    const home = makeTempDir('artifact-cli-aws-env-home-');
    const listed = await runAws(
      { client, home, env: { AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey, AWS_ENDPOINT_URL_CODEARTIFACT: server.url } },
      ['codeartifact', 'list-domains', '--output', 'json'],
    );
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { domains: { name: string }[] }).domains.map((domain) => domain.name)).toEqual(['acme']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
