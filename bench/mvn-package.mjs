// Maven's row of the per-format table: `mvn package` of fixtures/maven/lib with an empty local
// repository, resolving every plugin and its dependencies. The "public" repository is Debian's
// /usr/share/maven-repo, copied as links with a .sha1 beside every file (what a Maven 2
// repository publishes) and served by nginx: the static copy, and the upstream of artifact-cli
// cold (a fresh root whose public:maven-central connection points at it), and through the
// pass-through (pass-through.mjs) in front of it, the floor of any proxy. Median of 3 (ms).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStaticServer } from './ceiling.mjs';
import { installRounds } from './install-rounds.mjs';

export const name = 'mvn-package';
export const description = '`mvn package` of a small project with an empty local repository (plugins and their dependencies), median of 3 (ms)';

export const DEBIAN_MAVEN_REPO = '/usr/share/maven-repo';

/** Links every file of Debian's tree into `dir`, each with its .sha1. */
export function mirror(source, dir) {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(source)) {
    const from = path.join(source, entry);
    const to = path.join(dir, entry);
    const stat = statSync(from, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) mirror(from, to);
    else if (stat.isFile() && !entry.endsWith('.sha1')) {
      symlinkSync(from, to);
      writeFileSync(`${to}.sha1`, createHash('sha1').update(readFileSync(from)).digest('hex'));
    }
  }
}

function settings(dir, url, token) {
  // The server entry as `login --tool maven` writes it: the token goes with every request.
  const preemptive = '<configuration><httpConfiguration><all><usePreemptive>true</usePreemptive></all></httpConfiguration></configuration>';
  const server = token ? `<servers><server><id>bench</id><username>aws</username><password>${token}</password>${preemptive}</server></servers>` : '';
  const file = path.join(dir, 'settings.xml');
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<settings>${server}<mirrors><mirror><id>bench</id><mirrorOf>*</mirrorOf><url>${url}</url></mirror></mirrors></settings>\n`,
  );
  return file;
}

/** One `mvn package` with a fresh local repository; resolves to { ms, artifacts }. */
export function mvnPackage(context, workDir, url, token, label) {
  const dir = path.join(workDir, `${label.replace(/\W+/g, '-')}-${Date.now()}`);
  const project = path.join(dir, 'project');
  cpSync(path.join(context.projectDir, 'fixtures', 'maven', 'lib'), project, { recursive: true });
  const local = path.join(dir, 'local');
  const env = { PATH: process.env.PATH, HOME: dir, MAVEN_OPTS: `-Duser.home=${dir}`, ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}) };
  const started = process.hrtime.bigint();
  const result = spawnSync(
    'mvn',
    ['--batch-mode', '--no-transfer-progress', '-q', '-s', settings(dir, url, token), `-Dmaven.repo.local=${local}`, '-DskipTests', 'package'],
    { cwd: project, env, encoding: 'utf8' },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`mvn package (${label}) exited ${result.status}:\n${(result.stdout + result.stderr).slice(-3000)}`);
  const artifacts = countArtifacts(local);
  rmSync(dir, { recursive: true, force: true });
  return { ms, artifacts };
}

function countArtifacts(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += countArtifacts(path.join(dir, entry.name));
    else if (entry.name.endsWith('.jar') || entry.name.endsWith('.pom')) count += 1;
  }
  return count;
}

export function mavenUsable() {
  return existsSync(DEBIAN_MAVEN_REPO) && spawnSync('mvn', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function run(context) {
  if (!mavenUsable()) return { rows: [], checks: [], notes: ['mvn or /usr/share/maven-repo is missing: the Maven row is skipped'] };
  const workDir = path.join(context.workDir, 'mvn-package');
  const tree = path.join(workDir, 'central');
  mirror(DEBIAN_MAVEN_REPO, tree);
  const staticCopy = await startStaticServer({ root: tree, workDir: context.workDir });
  return installRounds(context, {
    format: 'maven',
    label: 'mvn',
    staticCopy,
    workDir,
    connection: 'public:maven-central',
    standinPath: '/',
    extensions: ['.jar', '.pom'],
    install: ({ label, base, token }) => {
      const built = mvnPackage(context, workDir, `${base}/`, token, label);
      return { ms: built.ms, files: built.artifacts };
    },
  });
}
