/**
 * The README's first five minutes, as a new user lives them, on a fresh HOME (and so a fresh
 * root): the setup lines in a checkout, `npm start`, then the login line it printed for each
 * client and a public package installed with npm, pip and mvn, each line run as printed. The
 * public registries are stand-ins on 127.0.0.1, configured where a user's machine has them:
 * npm's global npmrc for npm, the artifact-cli config file in the checkout for PyPI and Maven
 * Central (whose stand-in serves Debian's Maven plugins, as in the Maven tests).
 *
 * The one line not run is `npm install`, which needs the internet: the checkout's node_modules
 * is what it made. The checkout is a folder of links to this one (so a config file can sit in
 * it), and npm's global folder is a temp dir, so `npm link` changes nothing outside the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBIAN_MAVEN_REPO, startFakeMavenRepo } from '../helpers/fake-maven-repo.js';
import { startFakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { startFakePypiIndex } from '../helpers/fake-pypi-index.js';
import { freePort } from '../helpers/free-port.js';
import { mavenIsUsable } from '../helpers/maven-clients.js';
import { buildJar, buildPom } from '../helpers/maven-harness.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

const README = readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
const README_URL = 'http://127.0.0.1:8573';

/** The lines of the sh block after `<!-- first-five-minutes: NAME -->`. */
function readmeBlock(name: string): string[] {
  const marker = README.indexOf(`<!-- first-five-minutes: ${name} -->`);
  if (marker < 0) throw new Error(`README.md has no <!-- first-five-minutes: ${name} --> block`);
  const match = /```sh\n([\s\S]*?)```/.exec(README.slice(marker));
  if (!match) throw new Error(`README.md has no sh block after the ${name} marker`);
  return match[1].split('\n').filter((line) => line.trim() !== '');
}

/** The command of a line, without its comment. */
function command(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}

function clientsHere(): { npm: boolean; python: boolean } {
  const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const found = { npm: works('npm', ['--version']), python: works('python3', ['-c', 'import venv, ensurepip']) };
  for (const [name, ok] of Object.entries(found)) {
    if (ok) continue;
    const message = `${name === 'python' ? 'python3 with venv' : 'npm'} cannot run here: the first-five-minutes walk is skipped (.ci/run installs it).`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`SKIPPED: ${message}`);
  }
  return found;
}

const clients = clientsHere();
const maven = clients.npm && clients.python && mavenIsUsable();
const started: ChildProcess[] = [];

afterAll(async () => {
  // npm start runs sh, which runs node: the whole group goes.
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-(child.pid as number), 'SIGTERM');
    await exited;
  }
});

/** Starts a long-running line in its own process group; resolves once `ready` shows in its output. */
function startLine(line: string, cwd: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ output: () => string }> {
  const child = spawn('sh', ['-c', line], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${line} printed no ${ready} within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (!ready.test(output)) return;
      clearTimeout(timer);
      resolve({ output: () => output });
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), check()));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), check()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${line} exited with ${code}:\n${output}`));
    });
  });
}

describe.skipIf(!clients.npm || !clients.python)('the first five minutes in the README', () => {
  it('runs every line as printed: setup, npm start, the printed login lines, then npm install, pip install and mvn package of public packages', async () => {
    const setup = readmeBlock('setup');
    expect(setup.map(command)).toEqual(['npm install', 'npm link', 'npm start']);

    // The public registries, played on 127.0.0.1.
    const npmRegistry = await startFakeNpmRegistry();
    npmRegistry.add({ name: 'express', version: '4.19.2', files: { 'index.js': 'module.exports = "express stand-in";\n' } });
    const pypi = await startFakePypiIndex();
    pypi.add({ name: 'requests', version: '2.32.3' });
    const central = await startFakeMavenRepo(DEBIAN_MAVEN_REPO);
    const lib = 'com/example/fixture/greeting-lib/1.0.0/greeting-lib-1.0.0';
    central.addFile(`${lib}.jar`, buildJar());
    central.addFile(`${lib}.pom`, buildPom({ groupId: 'com.example.fixture', artifactId: 'greeting-lib', version: '1.0.0' }));

    // A fresh machine: its own HOME, npm's global folder (with npm's global npmrc naming the public npm registry).
    const machine = makeTempDir('first-five-minutes-');
    const home = path.join(machine, 'home');
    const prefix = path.join(machine, 'npm-global');
    mkdirSync(home);
    mkdirSync(path.join(prefix, 'etc'), { recursive: true });
    writeFileSync(path.join(prefix, 'etc', 'npmrc'), `registry=${npmRegistry.url}/\n`);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}`,
      HOME: home,
      npm_config_prefix: prefix,
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_NO_INPUT: '1',
      // 8573 may be taken on a test machine; the README's URL is matched with this port below.
      ARTIFACT_CLI_PORT: String(port),
      // Java takes ~ from the account, not $HOME: this machine's account home is the fresh one.
      MAVEN_OPTS: `-Duser.home=${home}`,
      ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    };

    // The checkout, with the user's artifact-cli config file naming the public PyPI.
    const checkout = path.join(machine, 'artifact-cli');
    mkdirSync(checkout);
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) copyFileSync(path.join(PROJECT_DIR, file), path.join(checkout, file));
    for (const entry of ['bin', 'scripts', 'src']) cpSync(path.join(PROJECT_DIR, entry), path.join(checkout, entry), { recursive: true });
    symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(checkout, 'node_modules'));
    writeFileSync(
      path.join(checkout, '.artifact-clirc.json'),
      JSON.stringify({ externalConnections: { 'public:pypi': pypi.url, 'public:maven-central': central.url } }),
    );

    // npm install: not run (it needs the internet); node_modules is what it made, and it builds
    // nothing, so dist/ is missing here as on a user's fresh checkout: `npm start` builds it.
    const link = await runClient('sh', ['-c', setup[1]], checkout, { ...env, npm_config_ignore_scripts: 'true' });
    expect(link.code, `${setup[1]}\n${link.stdout}\n${link.stderr}`).toBe(0);
    expect(existsSync(path.join(prefix, 'bin', 'artifact-cli'))).toBe(true);

    const server = await startLine(setup[2], checkout, env, /login --tool nuget .*\n/);
    const banner = server.output();
    expect(banner).toContain('dist/ has not been built; running `npm run build` first.');
    expect(existsSync(path.join(checkout, 'dist', 'bundle', 'main.js'))).toBe(true);
    const url = `http://127.0.0.1:${port}`;
    expect(banner).toContain(`artifact-cli serving ${path.join(home, '.local', 'share', 'artifact-cli')} at ${url}`);
    expect(banner).toContain('created local/default, reading through npm-store, pypi-store, maven-central-store, nuget-store');
    const printed = banner.split('\n').map((line) => line.trim());

    // Each block: its login line is one npm start printed (the port aside); then it runs as printed.
    const walk = async (name: string, project: string) => {
      const lines = readmeBlock(name).map((line) => line.split(README_URL).join(url));
      for (const line of lines.filter((entry) => entry.includes(' login '))) expect(printed, `README line not printed by npm start: ${line}`).toContain(line);
      const result = await runClient('sh', ['-e', '-x', '-c', lines.join('\n')], project, env);
      expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}\n--- npm start printed:\n${server.output()}`).toBe(0);
    };
    const projectDir = (name: string) => {
      const dir = path.join(home, name);
      mkdirSync(dir);
      return dir;
    };

    const npmProject = projectDir('npm-project');
    // The user's project has its package.json; without one npm installs into the nearest
    // ancestor holding a node_modules, which a shared /tmp may have.
    writeFileSync(path.join(npmProject, 'package.json'), JSON.stringify({ name: 'npm-project', version: '1.0.0', private: true }));
    await walk('npm', npmProject);
    expect(parseJson<{ version: string }>(readFileSync(path.join(npmProject, 'node_modules', 'express', 'package.json'), 'utf8')).version).toBe('4.19.2');
    expect(npmRegistry.requests).toContain('/express');

    const pipProject = projectDir('pip-project');
    await walk('pip', pipProject);
    const imported = spawnSync(path.join(pipProject, '.venv', 'bin', 'python'), ['-c', 'import requests; print(requests.VERSION)'], { encoding: 'utf8' });
    expect(imported.stdout.trim(), imported.stderr).toBe('2.32.3');
    expect(pypi.requests.some((request) => request.includes('requests'))).toBe(true);

    if (maven) {
      // A project of the user's: the Maven fixture's pom (plugins pinned to Debian's), without sources.
      const mavenProject = projectDir('maven-project');
      copyFileSync(path.join(PROJECT_DIR, 'fixtures', 'maven', 'app', 'pom.xml'), path.join(mavenProject, 'pom.xml'));
      await walk('maven', mavenProject);
      expect(existsSync(path.join(home, '.m2', 'repository', `${lib}.jar`))).toBe(true);
      expect(central.requests).toContain(`/${lib}.jar`);
    }

    await npmRegistry.close();
    await pypi.close();
    await central.close();
  }, 600_000);
});
