/**
 * The AWS CLI's and SDKs' shared files for `login --tool aws`: the key pair goes into
 * ~/.aws/credentials under [NAME], the endpoint (and a region, when the profile has none, since
 * a request cannot be signed without one) into ~/.aws/config under [profile NAME] ([default]
 * for the default profile). Only those keys change; every other line stays as it was.
 */
import path from 'node:path';
import { getIniValue, setIniValue } from './ini-text.js';
import type { ConfigHome } from './login-writer.js';

// The region written when the profile has none: any region signs for serve (docs/api.md).
const DEFAULT_REGION = 'us-east-1';

export interface AwsProfileInput {
  profile: string;
  accessKeyId: string;
  secretAccessKey: string;
  endpointUrl: string;
}

/** Where botocore looks: the environment's override, else ~/.aws/. */
export function credentialsFileOf(home: ConfigHome): string {
  return home.env.AWS_SHARED_CREDENTIALS_FILE || path.join(home.homeDir, '.aws', 'credentials');
}

export function configFileOf(home: ConfigHome): string {
  return home.env.AWS_CONFIG_FILE || path.join(home.homeDir, '.aws', 'config');
}

function configSection(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

/** The access key ID the profile has now, if any. */
export function currentAccessKeyId(credentials: string | undefined, profile: string): string | undefined {
  return getIniValue(credentials, profile, (key) => key === 'aws_access_key_id');
}

export function renderCredentials(current: string | undefined, input: AwsProfileInput): string {
  let text = setIniValue(current, input.profile, 'aws_access_key_id', input.accessKeyId);
  text = setIniValue(text, input.profile, 'aws_secret_access_key', input.secretAccessKey);
  // A session token left from a role would be sent with the key and make every call fail.
  return removeKey(text, input.profile, 'aws_session_token');
}

export function renderConfig(current: string | undefined, input: AwsProfileInput): string {
  const section = configSection(input.profile);
  let text = setIniValue(current, section, 'endpoint_url', input.endpointUrl);
  if (getIniValue(text, section, (key) => key === 'region') === undefined) text = setIniValue(text, section, 'region', DEFAULT_REGION);
  return text;
}

function removeKey(text: string, section: string, key: string): string {
  if (getIniValue(text, section, (candidate) => candidate === key) === undefined) return text;
  // Setting the key collapses repeats into one line, which is then dropped.
  const marked = setIniValue(text, section, key, '\u0000');
  return marked
    .split('\n')
    .filter((line) => !line.includes('\u0000'))
    .join('\n');
}
