/** What `serve` prints once it listens: where, what the quickstart set up, the repositories, and login lines to paste. */
import { QUICKSTART_DOMAIN, QUICKSTART_REPOSITORY } from '../../operations/quickstart.js';
import { PACKAGE_FORMATS } from '../../formats/registry.js';
import { LOGIN_TOOLS } from '../../login/login-tools.js';
import type { Store } from '../../store/store.js';
import path from 'node:path';
import { defaultRoot } from '../../config/definitions.js';
import { cliCommand, shellQuote } from '../invocation.js';

// More than this many repositories are summed up, so the login lines stay on the screen.
const LISTED_REPOSITORIES = 20;
// One client per format the server serves.
const LOGIN_LINE_TOOLS = ['npm', 'pip', 'maven', 'nuget'] as const;

export async function printBanner(store: Store, publicUrl: string, setUp: readonly string[], offline: boolean): Promise<void> {
  const lines = [`artifact-cli serving ${store.root} at ${publicUrl}`];
  // On a root whose repositories have external connections, say why nothing new comes through them.
  if (offline) lines.push('Offline: no upstream registry is asked; what is cached is served.');
  if (setUp.length > 0) lines.push('Quickstart:', ...setUp.map((step) => `  ${step}`));
  const repositories: { domain: string; name: string; about: string; upstreams: number }[] = [];
  for (const domain of await store.index.listDomains()) {
    for (const name of await store.index.listRepositories(domain)) {
      const record = await store.index.getRepository(domain, name);
      const about = [
        record?.upstreams.length ? `reads through ${record.upstreams.map((upstream) => upstream.repositoryName).join(', ')}` : '',
        record?.externalConnections.length ? `external connection ${record.externalConnections.map((entry) => entry.externalConnectionName).join(', ')}` : '',
      ].filter(Boolean);
      repositories.push({ domain, name, about: about.length ? ` (${about.join('; ')})` : '', upstreams: record?.upstreams.length ?? 0 });
    }
  }
  // A login in another terminal finds this root only if told: --root, ARTIFACT_CLI_ROOT or a
  // config file here need not be there.
  const command = path.resolve(store.root) === path.resolve(defaultRoot()) ? cliCommand() : `${cliCommand()} --root ${shellQuote(store.root)}`;
  if (repositories.length === 0) {
    lines.push(
      'No repositories yet. Create one with:',
      `  ${command} create-domain --domain my-domain`,
      `  ${command} create-repository --domain my-domain --repository my-repo`,
    );
  } else {
    lines.push(`Repositories (endpoints: ${publicUrl}/<domain>/<${PACKAGE_FORMATS.join('|')}>/<repository>/):`);
    for (const entry of repositories.slice(0, LISTED_REPOSITORIES)) lines.push(`  ${entry.domain}/${entry.name}${entry.about}`);
    if (repositories.length > LISTED_REPOSITORIES) lines.push(`  ... and ${repositories.length - LISTED_REPOSITORIES} more (list-repositories shows them all)`);
    // The quickstart's default, else one that reads through others (the one to install from).
    const target =
      repositories.find((entry) => entry.domain === QUICKSTART_DOMAIN && entry.name === QUICKSTART_REPOSITORY) ??
      repositories.find((entry) => entry.upstreams > 0) ??
      repositories[0];
    const others = LOGIN_TOOLS.filter((tool) => !(LOGIN_LINE_TOOLS as readonly string[]).includes(tool)).join(', ');
    lines.push(`Log in to ${target.domain}/${target.name} with the line for each client you use (also: --tool ${others}):`);
    for (const tool of LOGIN_LINE_TOOLS) {
      lines.push(`  ${command} login --tool ${tool} --domain ${target.domain} --repository ${target.name} --endpoint-url ${publicUrl}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
