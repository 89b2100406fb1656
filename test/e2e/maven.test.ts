/**
 * The real mvn against `artifact-cli serve`: `mvn deploy` of fixtures/maven/lib as a release
 * and as a SNAPSHOT (with sources), with the settings.xml `artifact-cli login --tool maven`
 * wrote; then fixtures/maven/app, which depends on it, builds with `mvn package` from an empty
 * local repository, and so does its Gradle twin (fixtures/maven/gradle-app) with the
 * gradle.properties `artifact-cli login --tool gradle` wrote. Every plugin comes from Debian's
 * Maven repository through the external connection of an upstream repository. Debian's Gradle
 * (4.4.1) cannot publish to any Maven repository (its resolver has no transport), so Gradle
 * is tested as a consumer only. Last, what mvn makes of a public dependency that origin
 * controls keep out (a 404), before and after they allow it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { DOMAIN, gradleIsUsable, mavenIsUsable, setupMaven, type MavenResult, type MavenSetup } from '../helpers/maven-clients.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const usable = mavenIsUsable();
const gradleUsable = usable && gradleIsUsable();
const LIB = 'com/example/fixture/greeting-lib';
const SNAPSHOT = '1.1.0-SNAPSHOT';
const TIMEOUT = 300_000;

let setup: MavenSetup;
let publisher: { settings: string; token: string };
let publisherRepository: string;

function expectSuccess(result: MavenResult): void {
  if (result.code !== 0) throw new Error(`mvn exited ${result.code}:\n${result.output.slice(-6000)}`);
}

async function get(relative: string, repository = 'main'): Promise<Response> {
  return fetch(`${setup.endpoint(repository)}${relative}`, { headers: { authorization: `Basic ${Buffer.from(`aws:${publisher.token}`).toString('base64')}` } });
}

function deploy(project: string): Promise<MavenResult> {
  return setup.mvn(['deploy', `-DaltDeploymentRepository=${DOMAIN_REPO_ID}::${setup.endpoint('main')}`], project, publisher.settings, publisherRepository);
}

/** The id login gives the repository's <server>, so deploys use its credentials. */
const DOMAIN_REPO_ID = 'acme-main';

beforeAll(async () => {
  if (!usable) return;
  setup = await setupMaven();
  publisher = await setup.login('main');
  publisherRepository = makeTempDir('artifact-cli-mvn-local-');
}, TIMEOUT);

describe.skipIf(!usable)('mvn deploy', () => {
  it(
    'deploys a release with its sources jar, and the repository generates its metadata',
    async () => {
      expectSuccess(await deploy(setup.fixtureCopy('lib')));
      const metadata = await (await get(`${LIB}/maven-metadata.xml`)).text();
      expect(metadata).toContain('<release>1.0.0</release>');
      for (const file of ['greeting-lib-1.0.0.jar', 'greeting-lib-1.0.0.pom', 'greeting-lib-1.0.0-sources.jar']) {
        const response = await get(`${LIB}/1.0.0/${file}`);
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(await (await get(`${LIB}/1.0.0/${file}.sha1`)).text()).toBe(createHash('sha1').update(bytes).digest('hex'));
      }
      const record = await openStore(setup.root).index.getPackage({
        domain: 'acme',
        repository: 'main',
        format: 'maven',
        namespace: 'com.example.fixture',
        name: 'greeting-lib',
      });
      expect(record?.versions['1.0.0'].status).toBe('Published');
      expect(record?.versions['1.0.0'].summary).toBe("Says hello; a fixture of artifact-cli's Maven tests.");
    },
    TIMEOUT,
  );

  it('fetched every plugin through the external connection, kept in the repository asked and the one holding the connection', async () => {
    expect(setup.central.requests.some((request) => request.includes('/maven-deploy-plugin/3.0.0/'))).toBe(true);
    const store = openStore(setup.root);
    for (const repository of ['main', 'central-store']) {
      const plugin = await store.index.getPackage({
        domain: 'acme',
        repository,
        format: 'maven',
        namespace: 'org.apache.maven.plugins',
        name: 'maven-deploy-plugin',
      });
      expect(plugin?.versions['3.0.0'].origin.originType).toBe('EXTERNAL');
      expect(plugin?.versions['3.0.0'].assets.map((asset) => asset.name).sort()).toEqual(['maven-deploy-plugin-3.0.0.jar', 'maven-deploy-plugin-3.0.0.pom']);
    }
  });

  it(
    'deploys two SNAPSHOT builds, keeping the files of both and resolving -SNAPSHOT to the newest',
    async () => {
      const project = setup.fixtureCopy('lib', (file, text) =>
        file === 'pom.xml' ? text.replace('<version>1.0.0</version>', `<version>${SNAPSHOT}</version>`) : text.replace('"Hello, "', '"Hi, "'),
      );
      expectSuccess(await deploy(project));
      expectSuccess(await deploy(project));
      const metadata = await (await get(`${LIB}/${SNAPSHOT}/maven-metadata.xml`)).text();
      expect(metadata).toContain('<buildNumber>2</buildNumber>');
      const builds = [...metadata.matchAll(/<value>(1\.1\.0-\d{8}\.\d{6}-2)<\/value>/g)];
      expect(builds).toHaveLength(3);
      const record = await openStore(setup.root).index.getPackage({
        domain: 'acme',
        repository: 'main',
        format: 'maven',
        namespace: 'com.example.fixture',
        name: 'greeting-lib',
      });
      const jars = record?.versions[SNAPSHOT].assets.map((asset) => asset.name).filter((name) => /-\d+\.jar$/.test(name));
      expect(jars).toHaveLength(2);
      expect(await (await get(`${LIB}/maven-metadata.xml`)).text()).toContain(`<latest>${SNAPSHOT}</latest>`);
    },
    TIMEOUT,
  );

  it(
    'fails a deploy that would change a released jar, saying why (409)',
    async () => {
      const changed = setup.fixtureCopy('lib', (file, text) => text.replace('"Hello, "', '"Howdy, "'));
      const before = await (await get(`${LIB}/1.0.0/greeting-lib-1.0.0.jar.sha1`)).text();
      const result = await deploy(changed);
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/409 Conflict: greeting-lib-1\.0\.0\.jar .* already published with different content/);
      expect(await (await get(`${LIB}/1.0.0/greeting-lib-1.0.0.jar.sha1`)).text()).toBe(before);
    },
    TIMEOUT,
  );
});

describe.skipIf(!usable)('mvn package of a project that depends on the library', () => {
  function runApp(project: string, localRepository: string, version: string, libJar: RegExp): string {
    const dir = path.join(localRepository, LIB, version);
    const jar = readdirSync(dir).find((name) => libJar.test(name)) as string;
    const run = spawnSync('java', ['-cp', `${path.join(project, 'target', 'classes')}:${path.join(dir, jar)}`, 'com.example.app.App', 'e2e'], {
      encoding: 'utf8',
    });
    return run.stdout.trim();
  }

  it(
    'builds against the release from an empty local repository, with only artifact-cli to ask',
    async () => {
      const project = setup.fixtureCopy('app');
      const localRepository = makeTempDir('artifact-cli-mvn-app-');
      const logged = setup.server.output().length;
      expectSuccess(await setup.mvn(['package'], project, publisher.settings, localRepository));
      expect(runApp(project, localRepository, '1.0.0', /^greeting-lib-1\.0\.0\.jar$/)).toBe('Hello, e2e!');
      // login's settings send the token with every request: no file costs a 401 and a second try.
      const requests = setup.server
        .output()
        .slice(logged)
        .split('\n')
        .filter((line) => line.startsWith('GET /'));
      expect(requests.length).toBeGreaterThan(10);
      expect(requests.filter((line) => / 401 /.test(line))).toEqual([]);
      expect(
        readFileSync(path.join(project, 'target', 'greeting-app-1.0.0.jar'))
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
    },
    TIMEOUT,
  );

  it(
    'builds against the SNAPSHOT through a downstream repository (team -> main)',
    async () => {
      const consumer = await setup.login('team');
      const project = setup.fixtureCopy('app');
      const localRepository = makeTempDir('artifact-cli-mvn-app-');
      expectSuccess(await setup.mvn(['package', `-Dgreeting.version=${SNAPSHOT}`], project, consumer.settings, localRepository));
      expect(runApp(project, localRepository, SNAPSHOT, /^greeting-lib-1\.1\.0-\d{8}\.\d{6}-2\.jar$/)).toBe('Hi, e2e!');
    },
    TIMEOUT,
  );
});

describe.skipIf(!usable)('mvn and origin controls', () => {
  it(
    'fails a build whose public dependency origin controls keep out with "Could not find artifact" (404), and builds with -U once they allow it',
    async () => {
      const restrict = (upstream: string) =>
        runCliJson(
          [
            'put-package-origin-configuration',
            ...['--domain', DOMAIN, '--repository', 'central-store', '--format', 'maven', '--namespace', 'commons-io', '--package', 'commons-io'],
            ...['--restrictions', `publish=ALLOW,upstream=${upstream}`],
          ],
          { root: setup.root },
        );
      await restrict('BLOCK');
      // The app fixture's pom with commons-io in place of greeting-lib, and no sources.
      const project = makeTempDir('artifact-cli-mvn-blocked-app-');
      const pom = readFileSync(path.join(setup.fixtureCopy('app'), 'pom.xml'), 'utf8')
        .replace(
          '<groupId>com.example.fixture</groupId>\n      <artifactId>greeting-lib</artifactId>',
          '<groupId>commons-io</groupId>\n      <artifactId>commons-io</artifactId>',
        )
        .replace('${greeting.version}', '2.11.0');
      expect(pom).toContain('<artifactId>commons-io</artifactId>');
      writeFileSync(path.join(project, 'pom.xml'), pom);
      const localRepository = makeTempDir('artifact-cli-mvn-blocked-');
      const blocked = await setup.mvn(['package'], project, publisher.settings, localRepository);
      expect(blocked.code).not.toBe(0);
      // A 404, as for a file that is nowhere: mvn warns about the POM and then misses the jar.
      expect(blocked.output).toContain('The POM for commons-io:commons-io:jar:2.11.0 is missing');
      expect(blocked.output).toMatch(/Could not find artifact commons-io:commons-io:jar:2\.11\.0 in acme-main/);
      expect(blocked.output).not.toMatch(/status code: 403|status: 403/);

      await restrict('ALLOW');
      // mvn remembers the miss until the update interval; -U asks again (docs/formats/maven-gradle.md).
      const cached = await setup.mvn(['package'], project, publisher.settings, localRepository);
      expect(cached.code).not.toBe(0);
      expect(cached.output).toContain('This failure was cached in the local repository');
      expectSuccess(await setup.mvn(['package', '-U'], project, publisher.settings, localRepository));
      expect(readdirSync(path.join(localRepository, 'commons-io/commons-io/2.11.0'))).toContain('commons-io-2.11.0.jar');
    },
    TIMEOUT,
  );
});

describe.skipIf(!gradleUsable)('gradle build of a project that depends on the library', () => {
  async function buildAndRun(version: string): Promise<string> {
    const gradleHome = await setup.loginGradle('main');
    const project = setup.fixtureCopy('gradle-app');
    const result = await setup.gradle([`-PgreetingVersion=${version}`, 'build', 'printClasspath'], project, gradleHome);
    expectSuccess(result);
    const classpath = [...result.output.matchAll(/^classpath: (.+)$/gm)].map((match) => match[1]);
    expect(classpath).toHaveLength(1);
    const jar = path.join(project, 'build', 'libs', 'greeting-gradle-app.jar');
    return spawnSync('java', ['-cp', `${jar}:${classpath[0]}`, 'com.example.app.App', 'gradle'], { encoding: 'utf8' }).stdout.trim();
  }

  it(
    'resolves the release with the credentials login put in gradle.properties',
    async () => {
      expect(await buildAndRun('1.0.0')).toBe('Hello, gradle!');
    },
    TIMEOUT,
  );

  it(
    'resolves the SNAPSHOT to its newest build',
    async () => {
      expect(await buildAndRun(SNAPSHOT)).toBe('Hi, gradle!');
    },
    TIMEOUT,
  );

  it(
    'builds with the Groovy block `login --tool gradle` printed, pasted as printed',
    async () => {
      const home = makeTempDir('artifact-cli-gradle-paste-');
      const gradleHome = path.join(home, 'gradle-user-home');
      const login = await runCli(['login', '--tool', 'gradle', '--domain', DOMAIN, '--repository', 'main', '--endpoint-url', setup.server.url], {
        root: setup.root,
        env: { HOME: home, GRADLE_USER_HOME: gradleHome },
      });
      expect(login.code, login.stderr).toBe(0);
      // The first indented block of the instructions is the Groovy one.
      const lines = login.stdout.split('\n');
      const start = lines.findIndex((line) => line === '    maven {');
      const block = lines.slice(start, lines.indexOf('    }', start) + 1).join('\n');
      expect(block).toContain('url artifactCliUrl');
      const project = setup.fixtureCopy('gradle-app', (file, text) =>
        file === 'build.gradle' ? text.replace(/\nrepositories \{\n[\s\S]*?\n\}\n/, `\nrepositories {\n${block}\n}\n`) : text,
      );
      expect(readFileSync(path.join(project, 'build.gradle'), 'utf8')).toContain(block);
      const result = await setup.gradle(['-PgreetingVersion=1.0.0', 'build', 'printClasspath'], project, gradleHome);
      expectSuccess(result);
      expect([...result.output.matchAll(/^classpath: (.+)$/gm)].map((match) => path.basename(match[1]))).toEqual(['greeting-lib-1.0.0.jar']);
    },
    TIMEOUT,
  );
});
