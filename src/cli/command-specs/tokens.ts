/** Tokens and login: authorization tokens, endpoints, `login` for each package manager, API access keys. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';

const tokens = () => import('../commands/tokens.js');
const accessKeys = () => import('../commands/access-keys.js');

export const TOKEN_COMMANDS: readonly CommandSpec[] = inGroup('Tokens and login', [
  {
    name: 'get-authorization-token',
    summary: 'Issue a token for a domain (12 hours unless --duration-seconds says otherwise).',
    examples: ['artifact-cli get-authorization-token --domain my-domain --query authorizationToken --output text'],
    options: [
      ['domain', 'The domain the token is for.'],
      'domainOwner',
      'durationSeconds',
      ['principal', 'Who the token speaks for (default: the local user name).'],
    ],
    run: lazy(async () => (await tokens()).getAuthorizationToken),
  },
  {
    name: 'get-repository-endpoint',
    summary: 'Print the URL a package manager uses for a repository.',
    examples: ['artifact-cli get-repository-endpoint --domain my-domain --repository app --format npm'],
    options: ['domain', 'domainOwner', 'repository', 'format', 'endpointType'],
    run: lazy(async () => (await tokens()).getRepositoryEndpoint),
  },
  {
    name: 'login',
    summary: "Write a token and the repository's URL into a package manager's user config.",
    examples: [
      'artifact-cli login --tool npm --domain my-domain --repository app',
      'artifact-cli login --tool pip --domain my-domain --repository app --dry-run',
    ],
    options: [
      'tool',
      'domain',
      'domainOwner',
      'repository',
      ['namespace', "npm, pnpm and yarn: set only this scope's registry (the '@' is added when missing)."],
      'scopeFile',
      'durationSeconds',
      'endpointType',
      'noMirror',
      'registryName',
      ['dryRun', 'Print what would be written, token included, and change no file.'],
      'profile',
      ['principal', 'aws: who the access key speaks for (default: the local user name).'],
    ],
    run: lazy(async () => (await import('../commands/login.js')).login),
  },
  {
    name: 'create-access-key',
    summary: 'Make an access key pair for the AWS CLI and SDKs; the secret is shown only now.',
    examples: ['artifact-cli create-access-key --principal ci-bot'],
    options: [['principal', 'Who the key speaks for in permissions policies.']],
    run: lazy(async () => (await accessKeys()).createAccessKey),
  },
  {
    name: 'list-access-keys',
    summary: 'List access key IDs and their principals (never the secrets).',
    examples: ['artifact-cli list-access-keys --principal ci-bot'],
    options: [['principal', 'Only the keys of this principal.']],
    run: lazy(async () => (await accessKeys()).listAccessKeys),
  },
  {
    name: 'delete-access-key',
    summary: 'Delete an access key; requests it signs are refused from now on.',
    examples: ['artifact-cli delete-access-key --access-key-id AKIAEXAMPLE'],
    options: ['accessKeyId'],
    run: lazy(async () => (await accessKeys()).deleteAccessKey),
  },
]);
