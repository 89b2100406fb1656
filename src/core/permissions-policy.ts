/**
 * Permissions policies of domains and repositories: IAM-style JSON documents, validated here and
 * turned into statements the server can evaluate (policy-evaluation.ts). What cannot be
 * evaluated faithfully (conditions, NotAction, principals other than users, resources naming
 * single packages) is refused with the reason, rather than half-applied.
 */
import { ValidationError } from '../errors.js';
import { LOCAL_ACCOUNT } from './arn.js';
import { CODEARTIFACT_ACTIONS } from './policy-actions.js';

/** A policy as stored and returned: CodeArtifact's ResourcePolicy shape. */
export interface StoredPolicy {
  resourceArn: string;
  revision: string;
  document: string;
}

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** '*' for everyone (anonymous readers too), else principal names. */
  principals: '*' | string[];
  /** Lowercased action patterns ('*' or codeartifact:...). */
  actions: string[];
  resources: string[];
}

export const MAX_POLICY_CHARS = 7168;
const VERSIONS = ['2012-10-17', '2008-10-17'];
const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'Action', 'Resource'];
const UNSUPPORTED_KEYS = ['NotPrincipal', 'NotAction', 'NotResource', 'Condition'];
const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT = /^[0-9]{12}$/;
const IAM_PRINCIPAL = /^arn:aws:iam::([0-9]{12}):(?:(root)|(?:user|role)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64}))$/;

function refuse(reason: string): ValidationError {
  return new ValidationError(`The policy document is not valid: ${reason}`, {
    hint: 'Statements take Effect (Allow or Deny), Principal ("*" or {"AWS": names or IAM ARNs}), Action (codeartifact:...) and Resource (* or ARNs).',
  });
}

/** Validates a document and returns its statements; throws ValidationError naming what is wrong. */
export function parsePolicyDocument(text: string): PolicyStatement[] {
  if (typeof text !== 'string' || text.trim().length === 0) throw refuse('it is empty.');
  if (text.length > MAX_POLICY_CHARS) throw refuse(`it is ${text.length} characters long; the limit is ${MAX_POLICY_CHARS}.`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw refuse(`it is not JSON (${(error as Error).message}).`);
  }
  if (!isObject(document)) throw refuse('it must be a JSON object.');
  checkKeys(document, DOCUMENT_KEYS, 'the document');
  if (document.Version !== undefined && !VERSIONS.includes(document.Version as string)) {
    throw refuse(`Version must be "2012-10-17" (or "2008-10-17"), not ${JSON.stringify(document.Version)}.`);
  }
  const raw = document.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw refuse('it has no Statement.');
  return statements.map((statement, index) => parseStatement(statement, index));
}

function parseStatement(raw: unknown, index: number): PolicyStatement {
  const where = `Statement ${index + 1}`;
  if (!isObject(raw)) throw refuse(`${where} must be an object.`);
  for (const key of UNSUPPORTED_KEYS) {
    if (key in raw) throw refuse(`${where} uses ${key}, which artifact-cli does not evaluate; write the statement without it.`);
  }
  checkKeys(raw, STATEMENT_KEYS, where);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') throw refuse(`${where}: Sid must be a string.`);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw refuse(`${where}: Effect must be "Allow" or "Deny", not ${JSON.stringify(raw.Effect)}.`);
  return {
    sid: raw.Sid,
    effect: raw.Effect,
    principals: parsePrincipal(raw.Principal, where),
    actions: stringList(raw.Action, `${where}: Action`).map((action) => parseAction(action, where)),
    resources: raw.Resource === undefined ? ['*'] : stringList(raw.Resource, `${where}: Resource`).map((resource) => parseResource(resource, where)),
  };
}

function parsePrincipal(raw: unknown, where: string): '*' | string[] {
  if (raw === '*') return '*';
  if (raw === undefined) throw refuse(`${where} has no Principal; use "*" or {"AWS": ...}.`);
  if (!isObject(raw)) throw refuse(`${where}: Principal must be "*" or {"AWS": ...}.`);
  const kinds = Object.keys(raw);
  if (kinds.length !== 1 || kinds[0] !== 'AWS')
    throw refuse(`${where}: only AWS principals are known here, not ${kinds.filter((kind) => kind !== 'AWS').join(', ') || 'an empty Principal'}.`);
  const names = stringList(raw.AWS, `${where}: Principal.AWS`);
  if (names.includes('*')) return '*';
  return names.map((name) => principalName(name, where));
}

/**
 * The local name a principal entry stands for. Tokens speak for a principal NAME of the local
 * account 000000000000: "NAME", arn:aws:iam::000000000000:user/NAME and .../role/NAME all mean
 * it; the account (its number, or its :root ARN) means every principal with a token. ARNs of
 * other accounts are valid but match no one here, so they are kept as written.
 */
function principalName(entry: string, where: string): string {
  if (ACCOUNT.test(entry)) return entry === LOCAL_ACCOUNT ? '*account' : `account:${entry}`;
  const arn = IAM_PRINCIPAL.exec(entry);
  if (arn) {
    const [, account, root, name] = arn;
    if (account !== LOCAL_ACCOUNT) return `account:${account}:${root ?? name}`;
    return root ? '*account' : name;
  }
  if (PRINCIPAL_NAME.test(entry)) return entry;
  throw refuse(`${where}: ${JSON.stringify(entry)} is not a principal; use a user name, an account number or an arn:aws:iam:: user, role or root ARN.`);
}

function parseAction(action: string, where: string): string {
  if (action === '*') return '*';
  const colon = action.indexOf(':');
  if (colon < 0 || action.slice(0, colon).toLowerCase() !== 'codeartifact') {
    throw refuse(`${where}: ${JSON.stringify(action)} is not a codeartifact: action.`);
  }
  const pattern = action.toLowerCase();
  if (!CODEARTIFACT_ACTIONS.some((known) => globMatches(pattern, `codeartifact:${known.toLowerCase()}`))) {
    throw refuse(
      `${where}: ${JSON.stringify(action)} matches no CodeArtifact action (for example codeartifact:ReadFromRepository, codeartifact:PublishPackageVersion).`,
    );
  }
  return pattern;
}

function parseResource(resource: string, where: string): string {
  if (resource === '*') return resource;
  const match = /^arn:aws:codeartifact:[^:]*:[^:]*:(domain|repository|package|package-group)\/(.*)$/.exec(resource);
  if (!match) throw refuse(`${where}: Resource ${JSON.stringify(resource)} is not "*" or a CodeArtifact ARN.`);
  // Requests are checked per repository, so a statement may cover a repository's packages only as a whole.
  if (match[1] === 'package') {
    const parts = match[2].split('/');
    if (parts[parts.length - 1] !== '*' || parts.length > 3) {
      throw refuse(
        `${where}: Resource ${JSON.stringify(resource)} names single packages; permissions are checked per repository, so use the repository ARN or .../package/<domain>/<repository>/*.`,
      );
    }
  }
  return resource;
}

function stringList(raw: unknown, what: string): string[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    throw refuse(`${what} must be a string or a non-empty list of strings.`);
  }
  return list as string[];
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw refuse(`${where} has unknown keys: ${unknown.join(', ')}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IAM wildcards: '*' any run of characters, '?' any one character; everything else literal. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}
