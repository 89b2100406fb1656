/**
 * ~/.netrc, where SwiftPM reads registry credentials on Linux (macOS uses the Keychain): one
 * `machine <host> login token password <token>` entry, as `swift package-registry login
 * --token` writes it. Entries for other machines, `default` and `macdef` blocks and comments
 * are kept as they are; an earlier entry for the same host is replaced where it stood. SwiftPM's
 * netrc parser refuses a whole file whose `default` entry is not the last one, so a new entry goes
 * before `default` (docs/formats/swift.md).
 */
import path from 'node:path';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { ConfigSyntaxError } from './login-writer.js';

export const netrcWriter: ConfigFileWriter = {
  locate: ({ homeDir }: ConfigHome) => path.join(homeDir, '.netrc'),
  render: renderNetrc,
};

interface Token {
  text: string;
  start: number;
  end: number;
}

/** The words of the file with their places; macdef bodies (up to a blank line) and comments are skipped. */
function tokens(text: string): Token[] {
  const found: Token[] = [];
  const word = /\S+/g;
  let match: RegExpExecArray | null;
  while ((match = word.exec(text))) {
    if (match[0].startsWith('#')) {
      const lineEnd = text.indexOf('\n', match.index);
      word.lastIndex = lineEnd < 0 ? text.length : lineEnd;
      continue;
    }
    const token = { text: match[0], start: match.index, end: match.index + match[0].length };
    found.push(token);
    const previous = found[found.length - 2];
    if (previous?.text === 'macdef') {
      const blank = /\n[ \t]*\n/g;
      blank.lastIndex = token.end;
      const bodyEnd = blank.exec(text);
      word.lastIndex = bodyEnd ? bodyEnd.index + bodyEnd[0].length : text.length;
    }
  }
  return found;
}

/** A netrc word with characters that would split it refused (tokens and host names never have them). */
function word(value: string, what: string): string {
  if (!/^[^\s"#]+$/.test(value)) throw new ConfigSyntaxError(`would get a ${what} netrc cannot hold`);
  return value;
}

const VALUED = ['machine', 'login', 'password', 'account', 'macdef'];

export function renderNetrc(current: string | undefined, input: LoginInput): string {
  const host = word(new URL(input.endpoint).hostname, 'host name');
  const entry = `machine ${host} login token password ${word(input.token, 'token')}`;
  const text = current ?? '';
  const words = tokens(text);
  // An entry runs from its `machine`/`default`/`macdef` word to the next one.
  // (A keyword right after another keyword is that keyword's value: `login default`.)
  const starts = words
    .map((token, index) => ({ token, index }))
    .filter(({ token, index }) => ['machine', 'default', 'macdef'].includes(token.text) && !VALUED.includes(words[index - 1]?.text ?? ''));
  const spans: { start: number; end: number }[] = [];
  starts.forEach(({ token, index }, position) => {
    if (token.text !== 'machine' || words[index + 1]?.text !== host) return;
    const next = starts[position + 1];
    const lastWord = words[(next ? next.index : words.length) - 1];
    spans.push({ start: token.start, end: lastWord.end });
  });
  if (spans.length === 0) {
    const fallback = starts.find(({ token }) => token.text === 'default');
    if (fallback) return `${text.slice(0, fallback.token.start)}${entry}\n${text.slice(fallback.token.start)}`;
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${separator}${entry}\n`;
  }
  // The first entry for the host becomes the new one; any later duplicates go.
  let result = text;
  for (const [position, span] of [...spans.entries()].reverse()) {
    const replacement = position === 0 ? entry : '';
    let end = span.end;
    if (replacement === '' && result[end] === '\n') end++;
    result = result.slice(0, span.start) + replacement + result.slice(end);
  }
  return result;
}
