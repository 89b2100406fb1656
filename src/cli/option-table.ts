/**
 * Every command option, declared once: its flag, its help line and how its value is read.
 * Commands name the options they take (command-specs/); help, completion and the value checks
 * all come from here, so `--max-results` means the same thing on every command.
 */
import { PACKAGE_FORMATS } from '../formats/registry.js';

export interface OptionSpec {
  /** Commander's flags: `--domain <name>`, `--dry-run`, `--no-public`, `--versions <version...>`. */
  readonly flags: string;
  readonly description: string;
  /** A whole number in this range; the command receives a number. */
  readonly integer?: { readonly min: number; readonly max: number };
  /** One of these values (help and shell completion list them). */
  readonly choices?: readonly string[];
  /** Repeatable, and space-separated values after it: the command receives a list. */
  readonly list?: boolean;
}

const VERSION_STATUSES = ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed'];
const COMPATIBILITY = 'Accepted for AWS CLI compatibility; the local owner is always used.';
const ORIGIN_MODES = ['ALLOW', 'BLOCK'];

export const OPTIONS = {
  // Where: domain, repository and package.
  domain: { flags: '--domain <name>', description: 'The domain.' },
  domainOwner: { flags: '--domain-owner <account>', description: COMPATIBILITY },
  repository: { flags: '--repository <name>', description: 'The repository.' },
  format: { flags: '--format <format>', description: 'Package format.', choices: PACKAGE_FORMATS },
  namespace: { flags: '--namespace <namespace>', description: 'npm scope without @, Maven groupId, generic namespace, ...' },
  package: { flags: '--package <name>', description: 'Package name (pypi and nuget names are normalised).' },
  packageVersion: { flags: '--package-version <version>', description: 'The version.' },
  // Pages of List* results.
  maxResults: { flags: '--max-results <n>', description: 'At most this many results.', integer: { min: 1, max: 1000 } },
  nextToken: { flags: '--next-token <token>', description: 'Continue after the previous page.' },
  // Describing and tagging resources.
  description: { flags: '--description <text>', description: 'What it is for.' },
  tags: { flags: '--tags <tag...>', description: 'Tags as key=KEY,value=VALUE (or a JSON list).', list: true },
  encryptionKey: { flags: '--encryption-key <arn>', description: 'Accepted for AWS CLI compatibility; the local store does not encrypt with KMS keys.' },
  resourceArn: { flags: '--resource-arn <arn>', description: 'ARN of the domain, repository or package group.' },
  tagKeys: { flags: '--tag-keys <key...>', description: 'Keys of the tags to remove.', list: true },
  // Repositories.
  upstreams: { flags: '--upstreams <entry...>', description: 'Upstream repositories in search order, as repositoryName=NAME (pass "" for none).', list: true },
  repositoryPrefix: { flags: '--repository-prefix <prefix>', description: 'Only repositories whose name starts with this.' },
  administratorAccount: {
    flags: '--administrator-account <account>',
    description: 'Accepted for AWS CLI compatibility; every local repository has the local account.',
  },
  externalConnection: { flags: '--external-connection <name>', description: 'The connection, e.g. public:npmjs.' },
  sourceRepository: { flags: '--source-repository <name>', description: 'Copy from this repository.' },
  destinationRepository: { flags: '--destination-repository <name>', description: 'Copy into this repository.' },
  // Packages and versions.
  packagePrefix: { flags: '--package-prefix <prefix>', description: 'Only packages whose name starts with this.' },
  publish: { flags: '--publish <mode>', description: 'Only packages whose origin controls set publish to this.', choices: ORIGIN_MODES },
  upstream: { flags: '--upstream <mode>', description: 'Only packages whose origin controls set upstream to this.', choices: ORIGIN_MODES },
  status: { flags: '--status <status>', description: 'Only versions with this status.', choices: VERSION_STATUSES },
  sortBy: { flags: '--sort-by <field>', description: 'PUBLISHED_TIME lists the newest first; the default orders by version.', choices: ['PUBLISHED_TIME'] },
  originType: { flags: '--origin-type <type>', description: 'Only versions of this origin.', choices: ['INTERNAL', 'EXTERNAL', 'UNKNOWN'] },
  asset: { flags: '--asset <name>', description: 'Name of the asset.' },
  packageVersionRevision: { flags: '--package-version-revision <revision>', description: 'Fail unless the version is at this revision.' },
  versions: { flags: '--versions <version...>', description: 'The versions to change.', list: true },
  versionRevisions: {
    flags: '--version-revisions <version=revision...>',
    description: 'Fail each version not at this revision (MISMATCHED_REVISION).',
    list: true,
  },
  expectedStatus: {
    flags: '--expected-status <status>',
    description: 'Fail each version whose status is not this one (MISMATCHED_STATUS).',
    choices: VERSION_STATUSES,
  },
  targetStatus: { flags: '--target-status <status>', description: 'The status to set (Unfinished and Disposed are refused).', choices: VERSION_STATUSES },
  allowOverwrite: { flags: '--allow-overwrite', description: 'Replace versions the destination already has (else ALREADY_EXISTS).' },
  noAllowOverwrite: { flags: '--no-allow-overwrite', description: 'Refuse versions the destination already has (the default).' },
  includeFromUpstream: { flags: '--include-from-upstream', description: "Also copy versions found only in the source repository's upstreams." },
  noIncludeFromUpstream: { flags: '--no-include-from-upstream', description: 'Copy only versions the source repository holds itself (the default).' },
  assetName: { flags: '--asset-name <name>', description: 'Name of the asset within the version.' },
  assetContent: { flags: '--asset-content <file>', description: 'File holding the asset bytes.' },
  assetSha256: { flags: '--asset-sha256 <hex>', description: 'SHA-256 of the file, lowercase hex; the upload is refused if the bytes differ.' },
  unfinished: { flags: '--unfinished', description: 'Keep the version Unfinished so more assets can be added; leave out on the last call.' },
  noUnfinished: { flags: '--no-unfinished', description: 'Publish the version with this asset (the default).' },
  // Origin controls, package groups and permissions policies.
  restrictions: { flags: '--restrictions <restrictions>', description: 'The restrictions, as shorthand or JSON.' },
  packageGroup: { flags: '--package-group <pattern>', description: "The group's pattern, e.g. /npm/space/* (quote it in the shell)." },
  contactInfo: { flags: '--contact-info <text>', description: 'Who to ask about the group.' },
  prefix: { flags: '--prefix <text>', description: 'Only groups whose pattern starts with this.' },
  addAllowedRepositories: {
    flags: '--add-allowed-repositories <entry...>',
    description: 'originRestrictionType=TYPE,repositoryName=NAME entries (or a JSON list).',
    list: true,
  },
  removeAllowedRepositories: {
    flags: '--remove-allowed-repositories <entry...>',
    description: 'originRestrictionType=TYPE,repositoryName=NAME entries (or a JSON list).',
    list: true,
  },
  preview: { flags: '--preview', description: 'List the packages the group would have, even if it does not exist yet.' },
  noPreview: { flags: '--no-preview', description: 'Only for an existing group (the default).' },
  originRestrictionType: {
    flags: '--origin-restriction-type <type>',
    description: 'The restriction.',
    choices: ['PUBLISH', 'EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM'],
  },
  policyDocument: { flags: '--policy-document <json>', description: 'The IAM-style policy: JSON text, or file://path.' },
  policyRevision: { flags: '--policy-revision <revision>', description: 'The current revision; refused if the policy changed since.' },
  // Tokens, access keys and login.
  durationSeconds: {
    flags: '--duration-seconds <n>',
    description: 'Token lifetime in seconds: 0 (the default, 12 hours) or at least 900.',
    integer: { min: 0, max: 43200 },
  },
  principal: { flags: '--principal <name>', description: 'Who it speaks for (default: the local user name).' },
  endpointType: { flags: '--endpoint-type <type>', description: 'Accepted for AWS CLI compatibility; both give the same URL.', choices: ['ipv4', 'dualstack'] },
  accessKeyId: { flags: '--access-key-id <id>', description: 'The key to delete.' },
  tool: {
    flags: '--tool <tool>',
    description: 'The package manager, or aws (an access key profile for the AWS CLI and SDKs).',
    choices: ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle', 'nuget', 'dotnet', 'cargo', 'gem', 'bundler', 'swift', 'aws'],
  },
  scopeFile: {
    flags: '--scope-file <scope>',
    description: "swift: write the user's registries.json (the default) or the project's, in .swiftpm/configuration here.",
    choices: ['user', 'project'],
  },
  noMirror: { flags: '--no-mirror', description: "maven: don't add the mirror of '*' that sends every download through artifact-cli." },
  registryName: { flags: '--registry-name <name>', description: 'cargo: the registry name in ~/.cargo/config.toml (default <domain>-<repository>).' },
  profile: { flags: '--profile <name>', description: 'aws: the profile to write (default artifact-cli).' },
  dryRun: { flags: '--dry-run', description: 'Only say what would be done; change nothing.' },
  // The server, sync and maintenance.
  host: { flags: '--host <address>', description: 'Address to bind (default 127.0.0.1).' },
  port: { flags: '--port <n>', description: 'Port to listen on (default 8573; 0 picks a free one).', integer: { min: 0, max: 65535 } },
  allowAnonymousRead: { flags: '--allow-anonymous-read', description: 'Let requests without a token read packages (writes still need one).' },
  offline: { flags: '--offline', description: 'Never call upstream registries; serve what is stored.' },
  quickstart: {
    flags: '--quickstart',
    description: 'Where missing, create the domain "local", a store repository per public registry and "default" reading through them.',
  },
  noPublic: { flags: '--no-public', description: 'No store repositories: "default" reads from no public registry.' },
  from: { flags: '--from <lockfile>', description: 'package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml (repeatable).', list: true },
  packageSpecs: { flags: '--package <spec>', description: 'A package as name@range or name@tag (repeatable).', list: true },
  concurrency: { flags: '--concurrency <n>', description: 'Packages fetched at once (default 8).', integer: { min: 1, max: 64 } },
  graceSeconds: {
    flags: '--grace-seconds <n>',
    description: 'Keep blobs and temp files younger than this, for publishes in flight (default 3600).',
    integer: { min: 0, max: 2 ** 31 - 1 },
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** An option a command takes, with its own help line where the shared one is too vague. */
export type OptionUse = OptionName | readonly [OptionName, string];

/** The option's flag alone: `--max-results`. */
export function longFlag(spec: OptionSpec): string {
  return spec.flags.split(' ')[0];
}
