/**
 * What the end-to-end tests with a format's real clients share (pypi-clients.ts,
 * ruby-clients.ts): a temp root set up with the CLI (domain "acme", a chain of repositories, the
 * last one holding the format's public connection pointed at a stand-in), a running
 * `artifact-cli serve` with a config file in a temp HOME, and the client files `artifact-cli
 * login --tool …` writes there. Nothing touches the user's files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './run-cli.js';
import type { ClientResult } from './run-client.js';
import { startTestServer, type TestServer } from './server.js';
import { makeTempDir } from './temp-dir.js';

export const DOMAIN = 'acme';

export interface ClientHarnessOptions {
  /** Temp folder names start with `<prefix>-e2e-`. */
  prefix: string;
  /** The repositories, clients' first: each has the next as its upstream; the last holds `connection`. */
  chain: string[];
  connection: string;
  publicUrl: string;
  /** More of the config file besides the connection's URL. */
  config?: Record<string, unknown>;
  /** The environment the CLI and clients see for HOME and friends. */
  homeEnv(home: string): Record<string, string>;
  /** `login --tool` for each, to the first repository. */
  logins: string[];
  /** The store root (a tiny file system, say); a new temp folder unless given. */
  root?: string;
}

export interface ClientHarness {
  root: string;
  home: string;
  homeEnv: Record<string, string>;
  server: TestServer;
  cli: (args: string[]) => Promise<ClientResult>;
}

export async function startClientHarness(options: ClientHarnessOptions): Promise<ClientHarness> {
  const root = options.root ?? makeTempDir(`${options.prefix}-e2e-root-`);
  const home = makeTempDir(`${options.prefix}-e2e-home-`);
  const homeEnv = options.homeEnv(home);
  const cli = (args: string[]) => runCli(args, { root, env: homeEnv });
  const cliOk = async (args: string[]) => checked(`artifact-cli ${args.join(' ')}`, await cli(args));
  await cliOk(['create-domain', '--domain', DOMAIN]);
  const chain = [...options.chain].reverse();
  for (const [index, repository] of chain.entries()) {
    await cliOk([
      'create-repository',
      '--domain',
      DOMAIN,
      '--repository',
      repository,
      ...(index > 0 ? ['--upstreams', `repositoryName=${chain[index - 1]}`] : []),
    ]);
    if (index === 0)
      await cliOk(['associate-external-connection', '--domain', DOMAIN, '--repository', repository, '--external-connection', options.connection]);
  }
  const configFile = path.join(home, 'artifact-cli.json');
  writeFileSync(configFile, JSON.stringify({ ...options.config, externalConnections: { [options.connection]: options.publicUrl } }));
  const server = await startTestServer({ root, args: ['--config', configFile] });
  // The files the clients read, written the way a user writes them.
  for (const tool of options.logins) await cliOk(['--endpoint-url', server.url, 'login', '--tool', tool, '--domain', DOMAIN, '--repository', options.chain[0]]);
  return { root, home, homeEnv, server, cli };
}

/** The result, or an error with everything the command printed when it failed. */
export function checked(command: string, result: ClientResult): ClientResult {
  if (result.code !== 0) throw new Error(`${command} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}
