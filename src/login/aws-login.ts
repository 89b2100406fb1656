/**
 * `login --tool aws`: an access key for the principal (the profile's current one when it
 * still exists and speaks for the same principal, else a new one) written into the profile
 * of the AWS shared files with the server's endpoint_url, so that `aws --profile NAME
 * codeartifact ...` and the SDKs need nothing else. A dry run creates no key and shows the
 * files with the secret masked.
 */
import os from 'node:os';
import { publicBaseUrl, type Config } from '../config/config.js';
import { ValidationError } from '../errors.js';
import { readsProfileEndpoint } from './aws-cli-version.js';
import { createAccessKey, readAccessKeys } from '../operations/access-keys.js';
import type { Store } from '../store/store.js';
import { configFileOf, credentialsFileOf, currentAccessKeyId, renderConfig, renderCredentials, type AwsProfileInput } from './aws-profile.js';
import type { LoginContext } from './login-context.js';
import type { WrittenFile } from './run-login.js';

export interface AwsLoginRequest {
  profile?: string;
  principal?: string;
  dryRun: boolean;
}

export interface AwsLoginResult {
  tool: 'aws';
  profile: string;
  principal: string;
  accessKeyId: string;
  /** Whether this login made the key, or found the profile's key still valid. */
  keyCreated: boolean;
  endpointUrl: string;
  /** The version of the aws on PATH, when one runs. */
  awsCliVersion?: string;
  /** Whether that aws reads endpoint_url from the profile (older ones need --endpoint-url). */
  profileEndpointRead: boolean;
  dryRun: boolean;
  files: (WrittenFile & { content?: string })[];
}

// botocore reads profile names from section headers: no brackets, no whitespace.
const PROFILE_NAME = /^[\w.+@:-]{1,64}$/;
const MASK = '****************';

export async function performAwsLogin(store: Store, config: Config, request: AwsLoginRequest, context: LoginContext): Promise<AwsLoginResult> {
  const profile = request.profile ?? 'artifact-cli';
  if (!PROFILE_NAME.test(profile))
    throw new ValidationError(`--profile ${JSON.stringify(profile.slice(0, 80))} is not a profile name: use letters, digits and ._+@:- only.`);
  const principal = request.principal ?? localUserName();
  const endpointUrl = publicBaseUrl(config);
  const credentialsFile = credentialsFileOf(context);
  const configFile = configFileOf(context);
  const currentCredentials = await context.files.read(credentialsFile);
  const currentConfig = await context.files.read(configFile);

  const existingId = currentAccessKeyId(currentCredentials, profile);
  const existing = (await readAccessKeys(store)).find((key) => key.accessKeyId === existingId && key.principal === principal);
  let key: { accessKeyId: string; secretAccessKey: string } | undefined = existing;
  if (!key && !request.dryRun) {
    const created = (await createAccessKey(store, { principal, now: context.now() })).AccessKey;
    key = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };
  }
  const input: AwsProfileInput = {
    profile,
    accessKeyId: key?.accessKeyId ?? `(a new access key for ${principal})`,
    secretAccessKey: key?.secretAccessKey ?? MASK,
    endpointUrl,
  };
  const planned = [
    { path: credentialsFile, current: currentCredentials, content: renderCredentials(currentCredentials, input) },
    { path: configFile, current: currentConfig, content: renderConfig(currentConfig, input) },
  ];
  const files: AwsLoginResult['files'] = [];
  for (const file of planned) {
    const status = file.content === file.current ? 'unchanged' : file.current === undefined ? 'created' : 'updated';
    if (request.dryRun) {
      files.push({ path: file.path, status, content: key ? file.content.split(key.secretAccessKey).join(MASK) : file.content });
    } else if (status === 'unchanged') {
      files.push({ path: file.path, status });
    } else {
      const outcome = await context.files.write(file.path, file.content);
      files.push({ path: outcome.path, status, ...(outcome.backup ? { backup: outcome.backup } : {}) });
    }
  }
  const awsCliVersion = await context.awsCliVersion?.();
  return {
    tool: 'aws',
    profile,
    principal,
    accessKeyId: input.accessKeyId,
    keyCreated: !existing && !request.dryRun,
    endpointUrl,
    ...(awsCliVersion ? { awsCliVersion } : {}),
    profileEndpointRead: readsProfileEndpoint(awsCliVersion),
    dryRun: request.dryRun,
    files,
  };
}

/** The lines printed for a person. */
export function formatAwsLoginReport(result: AwsLoginResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    if (result.dryRun) {
      lines.push(file.status === 'unchanged' ? `${file.path} would not change.` : `Would write ${file.path}:`, '');
      if (file.status !== 'unchanged' && file.content !== undefined) lines.push(...file.content.replace(/\r?\n$/, '').split(/\r?\n/), '');
    } else {
      const verb = file.status === 'created' ? 'Created' : file.status === 'updated' ? 'Updated' : 'Left unchanged';
      lines.push(`${verb} ${file.path}${file.backup ? ` (the previous file is kept as ${file.backup})` : ''}`);
    }
  }
  if (result.dryRun) {
    lines.push('Dry run: no file was changed and no access key was made; the secret is masked.');
  } else {
    lines.push(`${result.keyCreated ? 'Created' : 'Reused'} access key ${result.accessKeyId} for ${result.principal}.`);
    lines.push(`Successfully configured profile ${result.profile} for ${result.endpointUrl}: run \`${listDomainsLine(result)}\`.`);
    if (!result.profileEndpointRead) {
      lines.push(
        `The aws here (aws-cli/${result.awsCliVersion}) reads no endpoint_url from a profile (2.13 and 1.29 do): pass --endpoint-url to every aws codeartifact command, or it goes to AWS.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A first command that runs as printed with the aws here. */
function listDomainsLine(result: AwsLoginResult): string {
  const endpoint = result.profileEndpointRead ? '' : ` --endpoint-url ${result.endpointUrl}`;
  return `aws --profile ${result.profile}${endpoint} codeartifact list-domains`;
}

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'local';
  }
}
