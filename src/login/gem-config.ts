/**
 * The files `gem` reads (docs/formats/ruby.md, "Client configuration"): the push key in its
 * credentials file, under the repository's URL as `gem push --host <url>` looks it up, and the
 * source, with the token as the password of user "aws", in ~/.gemrc's `:sources:`. Both are YAML
 * edited through the `yaml` document model, so the user's other keys and comments stay.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isScalar, isSeq, parseDocument, Scalar, YAMLSeq, type Document } from 'yaml';
import { expandHome, firstSet } from './home-path.js';
import { ConfigSyntaxError, type ConfigFileWriter, type ConfigHome, type LoginInput } from './login-writer.js';

export const gemCredentialsWriter: ConfigFileWriter = {
  locate: gemCredentialsPath,
  render: (current, input) => setTopKey(current, gemHost(input), input.token, 'credentials file'),
};

export const gemrcWriter: ConfigFileWriter = {
  locate: ({ env, homeDir }) => expandHome(firstSet(env, 'GEMRC') ?? path.join(homeDir, '.gemrc'), homeDir),
  render: renderGemrc,
};

/** RubyGems reads ~/.gem/credentials when it exists, else the one under its data home; new ones go to ~/.gem. */
export function gemCredentialsPath({ env, homeDir }: ConfigHome): string {
  const classic = path.join(homeDir, '.gem', 'credentials');
  const dataHome = firstSet(env, 'XDG_DATA_HOME') ?? path.join(homeDir, '.local', 'share');
  const modern = path.join(dataHome, 'gem', 'credentials');
  return !existsSync(classic) && existsSync(modern) ? modern : classic;
}

/** The value to give `gem push --host`: the source URL without its final '/'. */
export function gemHost(input: Pick<LoginInput, 'endpoint'>): string {
  return input.endpoint.replace(/\/$/, '');
}

export function gemSourceUrl(input: Pick<LoginInput, 'endpoint' | 'token'>): string {
  const url = new URL(input.endpoint);
  url.username = 'aws';
  url.password = input.token;
  return url.href;
}

function parseYaml(current: string | undefined, what: string): Document {
  const doc = parseDocument(current ?? '---\n');
  if (doc.errors.length) throw new ConfigSyntaxError(`is not valid YAML (${doc.errors[0].message.split('\n')[0]}), so the ${what} was not changed`);
  // An empty file (or one holding only `---`) parses to a null scalar: start a mapping there.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({}) as never;
  if (!isMapLike(doc)) throw new ConfigSyntaxError(`is not a YAML mapping, so the ${what} was not changed`);
  return doc;
}

function isMapLike(doc: Document): boolean {
  return typeof (doc.contents as { set?: unknown } | null)?.set === 'function' && !isSeq(doc.contents);
}

function setTopKey(current: string | undefined, key: string, value: string, what: string): string {
  const doc = parseYaml(current, what);
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  doc.set(key, scalar);
  return ensureHeader(doc.toString());
}

/** Our source first in `:sources:`, replacing an older login to the same repository; other sources stay. */
function renderGemrc(current: string | undefined, input: LoginInput): string {
  const doc = parseYaml(current, 'gem configuration');
  const existing = doc.get(':sources');
  const sources = isSeq(existing) ? existing.items.map((item) => (isScalar(item) ? String(item.value) : String(item))) : [];
  const sameRepository = (url: string) => {
    try {
      const parsed = new URL(url);
      parsed.username = '';
      parsed.password = '';
      return parsed.href === input.endpoint;
    } catch {
      return false;
    }
  };
  const list = new YAMLSeq();
  for (const url of [gemSourceUrl(input), ...sources.filter((url) => !sameRepository(url))]) list.add(url);
  doc.set(':sources', list);
  return ensureHeader(doc.toString());
}

function ensureHeader(text: string): string {
  return text.startsWith('---') ? text : `---\n${text}`;
}
