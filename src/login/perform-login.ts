/**
 * The whole of `login`, as `aws codeartifact login` does it: check every flag, get the
 * repository endpoint, issue a token, then write the tool's config files (or, on a dry run,
 * only show them, with no token issued).
 */
import type { Config } from '../config/config.js';
import { ValidationError } from '../errors.js';
import { getRepositoryEndpoint } from '../operations/endpoints.js';
import { checkDuration, getAuthorizationToken } from '../operations/tokens.js';
import type { Store } from '../store/store.js';
import type { LoginContext } from './login-context.js';
import { checkNamespace, checkScopeFile, checkTool, TOOL_LOGINS, writersFor, type LoginTool } from './login-tools.js';
import { planLogin, writePlannedFiles, type WrittenFile } from './run-login.js';

export interface LoginRequest {
  tool: string;
  domain: string;
  repository: string;
  namespace?: string;
  /** swift only: `user` (default) or `project` registries.json. */
  scopeFile?: string;
  durationSeconds?: string;
  endpointType?: string;
  /** Maven's mirror of '*'; false only with --no-mirror. */
  mirror: boolean;
  /** Cargo only: the registry name to write instead of `<domain>-<repository>`. */
  registryName?: string;
  dryRun: boolean;
}

export interface LoginResult {
  tool: LoginTool;
  repositoryEndpoint: string;
  expiration: string;
  dryRun: boolean;
  /** On a dry run each file carries the content it would get, with DRY_RUN_TOKEN for the token. */
  files: (WrittenFile & { content?: string })[];
  /** What to add by hand where no user config file can hold it (pom.xml, build scripts). */
  instructions?: string[];
}

const ENDPOINT_TYPES = ['ipv4', 'dualstack'];

/** What a dry run shows where the token goes; characters every config file takes as they are. */
export const DRY_RUN_TOKEN = 'DRY-RUN-NO-TOKEN-ISSUED';

export async function performLogin(store: Store, config: Config, request: LoginRequest, context: LoginContext): Promise<LoginResult> {
  const tool = checkTool(request.tool);
  const namespace = checkNamespace(tool, request.namespace);
  const scopeFile = checkScopeFile(tool, request.scopeFile);
  const durationSeconds = parseDuration(request.durationSeconds);
  if (request.endpointType !== undefined && !ENDPOINT_TYPES.includes(request.endpointType)) {
    throw new ValidationError(`--endpoint-type must be ipv4 or dualstack; got ${JSON.stringify(request.endpointType)}.`);
  }
  if (!request.mirror && tool !== 'maven') throw new ValidationError('--no-mirror is only for --tool maven.');
  const registryName = checkRegistryName(tool, request.registryName);

  const login = TOOL_LOGINS[tool];
  // The endpoint first: it checks that the repository exists before a token is issued for it.
  const { repositoryEndpoint } = await getRepositoryEndpoint(store, config, { domain: request.domain, repository: request.repository, format: login.format });
  // A dry run shows the files with a stand-in: a token issued only to be printed would stay
  // valid (and on the screen) for hours without anyone using it.
  const { authorizationToken, expiration } = request.dryRun
    ? { authorizationToken: DRY_RUN_TOKEN, expiration: new Date(context.now().getTime() + checkDuration(durationSeconds) * 1000).toISOString() }
    : await getAuthorizationToken(store, { domain: request.domain, durationSeconds, now: context.now() });
  const input = {
    domain: request.domain,
    repository: request.repository,
    endpoint: repositoryEndpoint,
    token: authorizationToken,
    namespace,
    mirrorAll: request.mirror,
    ...(registryName ? { registryName } : {}),
  };
  const planned = await planLogin(await writersFor(tool, context, scopeFile), input, context);
  const files = request.dryRun
    ? planned.map((file) => ({ path: file.path, status: plannedStatus(file), content: file.content }))
    : await writePlannedFiles(planned, context);
  const instructions = login.instructions?.(input);
  return { tool, repositoryEndpoint, expiration, dryRun: request.dryRun, files, ...(instructions ? { instructions } : {}) };
}

function plannedStatus(file: { exists: boolean; changed: boolean }): WrittenFile['status'] {
  if (!file.changed) return 'unchanged';
  return file.exists ? 'updated' : 'created';
}

/** Cargo's rule for registry names: letters, digits, '-' and '_'. */
function checkRegistryName(tool: LoginTool, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (tool !== 'cargo') throw new ValidationError('--registry-name is only for --tool cargo.');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw))
    throw new ValidationError(`--registry-name must be letters, digits, '-' and '_' (at most 64); got ${JSON.stringify(raw.slice(0, 80))}.`);
  return raw;
}

/** Checked here, before anything is issued or written; 0 keeps the default of 12 hours. */
function parseDuration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new ValidationError(`--duration-seconds must be a whole number of seconds; got ${JSON.stringify(raw)}.`);
  return checkDuration(Number(raw));
}
