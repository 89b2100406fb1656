/**
 * ~/.yarnrc.yml, read by Yarn 2 and later (Yarn 1 reads .npmrc, which the yarn tool also writes).
 * Edited through the `yaml` package's document model, which keeps the user's comments, order
 * and quoting; only the keys below change.
 */
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Document } from 'yaml';
import { firstSet } from './home-path.js';
import { ConfigSyntaxError, type ConfigFileWriter, type ConfigHome, type LoginInput } from './login-writer.js';
import { credentialKey } from './npmrc.js';

export const yarnrcWriter: ConfigFileWriter = {
  locate: userYarnrcPath,
  render: renderYarnrc,
};

/** Yarn reads <home>/<rc file name>, and YARN_RC_FILENAME renames the file. */
export function userYarnrcPath({ env, homeDir }: ConfigHome): string {
  return path.join(homeDir, firstSet(env, 'YARN_RC_FILENAME') ?? '.yarnrc.yml');
}

// Yarn accepts plain http only for hosts in unsafeHttpWhitelist; setting the list replaces its default.
const YARN_DEFAULT_HTTP_HOSTS = ['localhost'];

function renderYarnrc(current: string | undefined, input: LoginInput): string {
  const doc = parseYarnrc(current);
  if (input.namespace) {
    const scope = mapAt(doc, ['npmScopes', input.namespace.slice(1)]);
    // Set key by key so other settings of the scope (npmPublishRegistry, ...) stay.
    scope.set('npmRegistryServer', quoted(input.endpoint));
    scope.set('npmAlwaysAuth', true);
    scope.set('npmAuthToken', input.token);
  } else {
    doc.set('npmRegistryServer', quoted(input.endpoint));
  }
  setRegistryCredentials(doc, input);
  const url = new URL(input.endpoint);
  if (url.protocol === 'http:') allowHttpHost(doc, url.hostname);
  return doc.toString();
}

function parseYarnrc(current: string | undefined): Document {
  const doc = parseDocument(current ?? '');
  if (doc.errors.length > 0) throw new ConfigSyntaxError(`is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigSyntaxError('must hold a mapping of settings at the top level');
  return doc;
}

/**
 * Yarn looks a registry up with its URL minus the trailing '/', with or without the scheme, so
 * entries spelled any of those ways for this registry are replaced by one.
 */
function setRegistryCredentials(doc: Document, input: LoginInput): void {
  const key = credentialKey(input.endpoint).replace(/\/$/, '');
  const registries = mapAt(doc, ['npmRegistries']);
  for (const item of [...registries.items]) {
    const existing = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (existing.replace(/^[a-z]+:/, '').replace(/\/$/, '') === key) registries.delete(item.key);
  }
  registries.set(key, doc.createNode({ npmAlwaysAuth: true, npmAuthToken: input.token }));
}

/** The mapping at a path, created where missing or empty; anything else there is an error in the file. */
function mapAt(doc: Document, path: string[]): YAMLMap {
  if (doc.contents === null) doc.contents = new YAMLMap();
  let map = doc.contents as YAMLMap;
  for (const key of path) {
    const child = map.get(key, true);
    if (isMap(child)) {
      map = child;
    } else if (child === undefined || (isScalar(child) && child.value === null)) {
      const created = new YAMLMap();
      map.set(key, created);
      map = created;
    } else {
      throw new ConfigSyntaxError(`has ${path.join('.')} set to something other than a mapping`);
    }
  }
  return map;
}

function allowHttpHost(doc: Document, host: string): void {
  const current = doc.get('unsafeHttpWhitelist');
  if (isSeq(current)) {
    const hosts = current.items.map((item) => (isScalar(item) ? String(item.value) : String(item)));
    if (!hosts.includes(host)) current.add(host);
    return;
  }
  // A single host written as a plain value still counts as the list.
  const hosts = typeof current === 'string' ? [current] : YARN_DEFAULT_HTTP_HOSTS;
  if (!hosts.includes(host)) doc.set('unsafeHttpWhitelist', doc.createNode([...hosts, host]));
}

function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}
