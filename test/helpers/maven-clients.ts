/**
 * Shared setup for the end-to-end tests with the real `mvn` and `gradle`: a temp root with domain "acme",
 * repository "central-store" holding public:maven-central (played by a FakeMavenRepo serving
 * Debian's /usr/share/maven-repo, so every plugin mvn needs comes through artifact-cli),
 * "main" with central-store as upstream, a running `artifact-cli serve`, and per-user homes
 * whose settings.xml (or gradle.properties) `artifact-cli login` wrote. Nothing touches the user's files
 * and no request leaves 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEBIAN_MAVEN_REPO, startFakeMavenRepo, type FakeMavenRepo } from './fake-maven-repo.js';
import { PROJECT_DIR, runCli, runCliJson } from './run-cli.js';
import { startTestServer, type TestServer } from './server.js';
import { makeTempDir } from './temp-dir.js';

export const DOMAIN = 'acme';
export const FIXTURES = path.join(PROJECT_DIR, 'fixtures', 'maven');
/** A bound on every mvn run, so a hung build fails the test instead of the whole suite. */
const MAVEN_TIMEOUT_MS = 240_000;

/** The Debian packages whose plugins the fixtures pin (.ci/run installs them). */
const NEEDED_PLUGINS = [
  'maven-deploy-plugin/3.0.0',
  'maven-install-plugin/3.1.0',
  'maven-compiler-plugin/3.10.1',
  'maven-jar-plugin/3.3.0',
  'maven-resources-plugin/3.3.0',
  'maven-surefire-plugin/2.22.3',
  'maven-source-plugin/3.2.1',
];

export interface MavenResult {
  code: number | null;
  output: string;
}

export interface MavenSetup {
  root: string;
  server: TestServer;
  central: FakeMavenRepo;
  endpoint(repository: string): string;
  /** Logs in a fresh home to `repository` with `artifact-cli login --tool maven`; returns its settings.xml. */
  login(repository: string): Promise<{ settings: string; token: string }>;
  /** Runs mvn in `cwd` with those settings and its own local repository. */
  mvn(args: string[], cwd: string, settings: string, localRepository: string): Promise<MavenResult>;
  /** Logs in a fresh Gradle user home to `repository` with `artifact-cli login --tool gradle`; returns that home. */
  loginGradle(repository: string): Promise<string>;
  /** Runs Debian's gradle in `cwd` with that user home (and no daemon). */
  gradle(args: string[], cwd: string, gradleHome: string): Promise<MavenResult>;
  /** A copy of fixtures/maven/<name> in a temp dir, with `edit` applied to the text of files. */
  fixtureCopy(name: string, edit?: (file: string, text: string) => string): string;
}

/** True when mvn and Debian's plugins are here; otherwise a loud skip, or a failure in CI. */
export function mavenIsUsable(): boolean {
  const version = spawnSync('mvn', ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  const missing = NEEDED_PLUGINS.filter((plugin) => !existsSync(path.join(DEBIAN_MAVEN_REPO, 'org/apache/maven/plugins', plugin)));
  if (version.status === 0 && missing.length === 0) return true;
  const message =
    version.status !== 0
      ? 'mvn cannot run here; the Maven end-to-end tests are skipped. Install the Debian packages maven and default-jdk-headless.'
      : `Debian's Maven plugins are missing (${missing.join(', ')}); the Maven end-to-end tests are skipped. Install the lib*-plugin-java packages .ci/run lists.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** True when Debian's gradle runs here; otherwise a loud skip, or a failure in CI. */
export function gradleIsUsable(): boolean {
  // Gradle writes into its user home even for --version; give it a temp one, not ~/.gradle.
  const home = makeTempDir('artifact-cli-gradle-probe-');
  const probe = spawnSync('gradle', ['--version'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, GRADLE_USER_HOME: home, GRADLE_OPTS: `-Duser.home=${home}` },
  });
  if (probe.status === 0) return true;
  const message = 'gradle cannot run here; the Gradle end-to-end tests are skipped. Install the Debian package gradle.';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

export async function setupMaven(): Promise<MavenSetup> {
  const root = makeTempDir('artifact-cli-mvn-root-');
  const central = await startFakeMavenRepo(DEBIAN_MAVEN_REPO);
  const configFile = path.join(root, 'artifact-cli.json');
  writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:maven-central': central.url } }));
  await runCliJson(['create-domain', '--domain', DOMAIN], { root });
  await runCliJson(['create-repository', '--domain', DOMAIN, '--repository', 'central-store'], { root });
  await runCliJson(['associate-external-connection', '--domain', DOMAIN, '--repository', 'central-store', '--external-connection', 'public:maven-central'], {
    root,
  });
  await runCliJson(['create-repository', '--domain', DOMAIN, '--repository', 'main', '--upstreams', 'repositoryName=central-store'], { root });
  await runCliJson(['create-repository', '--domain', DOMAIN, '--repository', 'team', '--upstreams', 'repositoryName=main'], { root });
  const server = await startTestServer({ root, args: ['--config', configFile] });
  const endpoint = (repository: string) => `${server.url}/${DOMAIN}/maven/${repository}/`;

  return {
    root,
    server,
    central,
    endpoint,
    async login(repository) {
      const home = makeTempDir('artifact-cli-mvn-home-');
      const result = await runCli(['login', '--tool', 'maven', '--domain', DOMAIN, '--repository', repository, '--endpoint-url', server.url], {
        root,
        env: { HOME: home },
      });
      if (result.code !== 0) throw new Error(`artifact-cli login --tool maven failed: ${result.stderr}`);
      const settings = path.join(home, '.m2', 'settings.xml');
      const token = /<password>([^<]+)<\/password>/.exec(readFileSync(settings, 'utf8'))?.[1];
      if (!token) throw new Error(`artifact-cli login wrote no token into ${settings}`);
      return { settings, token };
    },
    mvn(args, cwd, settings, localRepository) {
      const home = path.dirname(path.dirname(settings));
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: home,
        // Java takes its home from the password database, not $HOME; keep ~/.m2 out of reach.
        MAVEN_OPTS: `-Duser.home=${home}`,
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      };
      const fullArgs = ['--batch-mode', '--no-transfer-progress', '-s', settings, `-Dmaven.repo.local=${localRepository}`, ...args];
      return runBounded('mvn', fullArgs, cwd, env);
    },
    async loginGradle(repository) {
      const home = makeTempDir('artifact-cli-gradle-home-');
      const gradleHome = path.join(home, 'gradle-user-home');
      const result = await runCli(['login', '--tool', 'gradle', '--domain', DOMAIN, '--repository', repository, '--endpoint-url', server.url], {
        root,
        env: { HOME: home, GRADLE_USER_HOME: gradleHome },
      });
      if (result.code !== 0) throw new Error(`artifact-cli login --tool gradle failed: ${result.stderr}`);
      return gradleHome;
    },
    gradle(args, cwd, gradleHome) {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: path.dirname(gradleHome),
        GRADLE_USER_HOME: gradleHome,
        GRADLE_OPTS: `-Duser.home=${path.dirname(gradleHome)}`,
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      };
      return runBounded('gradle', ['--no-daemon', '--console=plain', ...args], cwd, env);
    },
    fixtureCopy(name, edit) {
      const dir = path.join(makeTempDir(`artifact-cli-mvn-${name}-`), name);
      cpSync(path.join(FIXTURES, name), dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}target`) });
      if (edit) {
        for (const file of listFiles(dir)) writeFileSync(file, edit(path.relative(dir, file), readFileSync(file, 'utf8')));
      }
      return dir;
    },
  };
}

function runBounded(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<MavenResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      output += `\n(killed after ${MAVEN_TIMEOUT_MS} ms)`;
      child.kill('SIGKILL');
    }, MAVEN_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
