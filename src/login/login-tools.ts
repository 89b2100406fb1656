/** Which files each `login --tool` writes, and which repository format its endpoint is for. */
import type { PackageFormat } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { cargoConfigWriter, cargoCredentialsWriter, cargoInstructions } from './cargo-config.js';
import { gradleInstructions, gradlePropertiesWriter } from './gradle-properties.js';
import type { LoginContext } from './login-context.js';
import type { ConfigFileWriter, LoginInput } from './login-writer.js';
import { mavenInstructions, mavenSettingsWriter } from './maven-settings.js';
import { npmrcWriter, yarnClassicNpmrcWriter } from './npmrc.js';
import { nugetConfigWriter } from './nuget-config.js';
import { pipConfWriter } from './pip-conf.js';
import { pypircWriter } from './pypirc.js';
import { yarnrcWriter } from './yarnrc.js';

export const LOGIN_TOOLS = ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle', 'nuget', 'dotnet', 'cargo'] as const;
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
};

/**
 * The files this login writes. Where the yarn found is Yarn 2 or later, only .yarnrc.yml: the
 * .npmrc lines, always-auth among them (npm 9 and later warn about it), are for Yarn 1 alone.
 * With no yarn found, both are written, so either Yarn works once installed.
 */
export async function writersFor(tool: LoginTool, context: Pick<LoginContext, 'yarnMajorVersion'>): Promise<ConfigFileWriter[]> {
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
