/**
 * ~/.pypirc for twine, written as `aws codeartifact login --tool twine` writes it: a
 * `[codeartifact]` section (same name, so CodeArtifact docs and scripts using
 * `twine upload --repository codeartifact` carry over) listed in `[distutils] index-servers`.
 */
import path from 'node:path';
import { getIniValue, replaceIniSection, setIniValue } from './ini-text.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';

const PYPIRC_REPOSITORY = 'codeartifact';
// What twine uses when index-servers is absent; kept when login has to write the list.
const TWINE_DEFAULT_SERVERS = ['pypi', 'testpypi'];

export const pypircWriter: ConfigFileWriter = {
  // twine has no environment override for this file, only --config-file.
  locate: ({ homeDir }: ConfigHome) => path.join(homeDir, '.pypirc'),
  render: renderPypirc,
};

function renderPypirc(current: string | undefined, input: LoginInput): string {
  const isIndexServers = (key: string) => key === 'index-servers';
  const servers = getIniValue(current, 'distutils', isIndexServers);
  let text = current ?? '';
  if (servers === undefined) {
    text = setIniValue(text, 'distutils', 'index-servers', ['', ...TWINE_DEFAULT_SERVERS, PYPIRC_REPOSITORY].join('\n'), isIndexServers);
  } else if (!servers.split(/[\s,]+/).includes(PYPIRC_REPOSITORY)) {
    text = setIniValue(text, 'distutils', 'index-servers', appendServer(servers), isIndexServers);
  }
  return replaceIniSection(text, PYPIRC_REPOSITORY, [
    ['repository', input.endpoint],
    ['username', 'aws'],
    ['password', input.token],
  ]);
}

/** twine splits index-servers on whitespace; the new name follows the list's own layout. */
function appendServer(servers: string): string {
  if (servers.includes('\n')) return `${servers}\n${PYPIRC_REPOSITORY}`;
  if (servers.trim() === '') return PYPIRC_REPOSITORY;
  return servers.includes(',') ? `${servers}, ${PYPIRC_REPOSITORY}` : `${servers} ${PYPIRC_REPOSITORY}`;
}
