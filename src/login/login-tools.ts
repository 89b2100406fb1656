/** Which files each `login --tool` writes, and which repository format its endpoint is for. */
import type { PackageFormat } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { cargoConfigWriter, cargoCredentialsWriter, cargoInstructions } from './cargo-config.js';
import { bundleConfigWriter } from './bundle-config.js';
import { gemCredentialsWriter, gemHost, gemrcWriter } from './gem-config.js';
import { gradleInstructions, gradlePropertiesWriter } from './gradle-properties.js';
import type { LoginContext } from './login-context.js';
import type { ConfigFileWriter, LoginInput } from './login-writer.js';
import { mavenInstructions, mavenSettingsWriter } from './maven-settings.js';
import { npmrcWriter, yarnClassicNpmrcWriter } from './npmrc.js';
import { nugetConfigWriter } from './nuget-config.js';
import { pipConfWriter } from './pip-conf.js';
import { netrcWriter } from './netrc.js';
import { pypircWriter } from './pypirc.js';
import { swiftProjectRegistriesWriter, swiftUserRegistriesWriter } from './swift-registries.js';
import { yarnrcWriter } from './yarnrc.js';

export const LOGIN_TOOLS = ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle', 'nuget', 'dotnet', 'cargo', 'gem', 'bundler', 'swift'] as const;
export type LoginTool = (typeof LOGIN_TOOLS)[number];

export interface ToolLogin {
  format: PackageFormat;
  files: ConfigFileWriter[];
  /** Lines to print after writing, for the parts a user config file cannot hold (pom, build script). */
  instructions?(input: LoginInput): string[];
}

export const TOOL_LOGINS: Record<LoginTool, ToolLogin> = {
  npm: { format: 'npm', files: [npmrcWriter] },
  // pnpm reads the same user .npmrc as npm.
  pnpm: { format: 'npm', files: [npmrcWriter] },
  // Yarn 2+ reads .yarnrc.yml; Yarn 1 reads .npmrc, so both are written unless Yarn 2+ is found (writersFor).
  yarn: { format: 'npm', files: [yarnrcWriter, yarnClassicNpmrcWriter] },
  pip: { format: 'pypi', files: [pipConfWriter] },
  twine: { format: 'pypi', files: [pypircWriter] },
  maven: { format: 'maven', files: [mavenSettingsWriter], instructions: mavenInstructions },
  gradle: { format: 'maven', files: [gradlePropertiesWriter], instructions: gradleInstructions },
  nuget: { format: 'nuget', files: [nugetConfigWriter] },
  dotnet: { format: 'nuget', files: [nugetConfigWriter] },
  cargo: { format: 'cargo', files: [cargoConfigWriter, cargoCredentialsWriter], instructions: cargoInstructions },
  // gem push takes the key from the credentials file by the --host it is given.
  gem: { format: 'ruby', files: [gemCredentialsWriter, gemrcWriter], instructions: (input) => [`Push with: gem push --host ${gemHost(input)} <file>.gem`] },
  bundler: { format: 'ruby', files: [bundleConfigWriter], instructions: (input) => [`In the Gemfile: source "${input.endpoint}"`] },
  // SwiftPM reads the registry from registries.json and, on Linux, its token from ~/.netrc.
  swift: { format: 'swift', files: [swiftUserRegistriesWriter, netrcWriter], instructions: swiftInstructions },
};

/** Which registries.json `--scope-file` picks for swift: the user's (default) or the project's. */
export type ScopeFile = 'user' | 'project';

export function checkScopeFile(tool: LoginTool, raw: string | undefined): ScopeFile {
  if (raw === undefined) return 'user';
  if (tool !== 'swift') throw new ValidationError('--scope-file is only for --tool swift.');
  if (raw !== 'user' && raw !== 'project') throw new ValidationError(`--scope-file must be user or project; got ${JSON.stringify(raw)}.`);
  return raw;
}

function swiftInstructions(input: LoginInput): string[] {
  if (!input.endpoint.startsWith('http:')) return [];
  // SwiftPM's `package-registry login` only speaks https, and its publish refuses a plain-http
  // registry that has an authentication entry: see docs/formats/swift.md.
  return [
    `${input.endpoint} is plain http: registries.json gets no authentication entry for it, and SwiftPM sends the ~/.netrc token as Bearer.`,
    'Publish with: swift package-registry publish <scope>.<name> <version> --allow-insecure-http (or serve artifact-cli behind https, server.publicUrl).',
  ];
}

/**
 * The files this login writes. Where the yarn found is Yarn 2 or later, only .yarnrc.yml: the
 * .npmrc lines, always-auth among them (npm 9 and later warn about it), are for Yarn 1 alone.
 * With no yarn found, both are written, so either Yarn works once installed.
 */
export async function writersFor(tool: LoginTool, context: Pick<LoginContext, 'yarnMajorVersion'>, scopeFile: ScopeFile = 'user'): Promise<ConfigFileWriter[]> {
  if (tool === 'swift' && scopeFile === 'project') return [swiftProjectRegistriesWriter, netrcWriter];
  if (tool !== 'yarn') return TOOL_LOGINS[tool].files;
  const major = await context.yarnMajorVersion?.();
  return major !== undefined && major >= 2 ? [yarnrcWriter] : TOOL_LOGINS.yarn.files;
}

const NAMESPACE_TOOLS: readonly LoginTool[] = ['npm', 'pnpm', 'yarn'];
// The rule `aws codeartifact login` applies to npm scopes.
const SCOPE_PATTERN = /^@[a-z0-9-~][a-z0-9-._~]*$/;

export function checkTool(raw: string): LoginTool {
  if (!(LOGIN_TOOLS as readonly string[]).includes(raw)) {
    throw new ValidationError(`--tool must be one of ${LOGIN_TOOLS.join(', ')}; got ${JSON.stringify(raw)}.`);
  }
  return raw as LoginTool;
}

/** The npm scope with its '@' (added when missing), or undefined when none was asked for. */
export function checkNamespace(tool: LoginTool, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!NAMESPACE_TOOLS.includes(tool)) {
    throw new ValidationError(`--namespace is only for ${NAMESPACE_TOOLS.join(', ')}; ${tool} has no scoped registries.`);
  }
  const scope = raw.startsWith('@') ? raw : `@${raw}`;
  if (!SCOPE_PATTERN.test(scope)) {
    throw new ValidationError(`--namespace ${JSON.stringify(raw)} is not a valid npm scope: use lowercase letters, digits and - . _ ~ after the '@'.`);
  }
  return scope;
}
