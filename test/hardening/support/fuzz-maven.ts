/** Maven: deep and entity-laden POMs and metadata, paths that do not fit the layout, damaged POMs. */
import { buildJar, buildPom, clientMetadata } from '../../helpers/maven-harness.js';
import { deepXml, deflatedZeros, INVALID_UTF8, laughs, zipBytes } from './fuzz-archives.js';
import { fromPlanned, nextNumber, rawCase, type FormatFuzz } from './fuzz-format.js';
import { bearer, damage, type FuzzCase } from './fuzz-mutations.js';
import { basicAuth } from './hardening-server.js';
import { mavenDeploy } from './publish-requests.js';

const MAVEN_DIR = 'com/acme/fz/lib';

export const mavenFuzz: FormatFuzz = {
  format: 'maven',
  seed: (token) => mavenDeploy(token, 'com.acme.fz', 'lib', '1.0'),
  templates: (context) => [
    { label: 'jar', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.jar`, headers: [bearer(context.token)] } },
    { label: 'sha1', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.jar.sha1`, headers: [bearer(context.token)] } },
    { label: 'metadata', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/maven-metadata.xml`, headers: [bearer(context.token)] } },
    { label: 'pom', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.pom`, headers: [bearer(context.token)] } },
    ...mavenFuzz.writeTemplates(context),
  ],
  writeTemplates(context) {
    const version = `2.${nextNumber()}`;
    const [jar, , , pom, , , metadata] = mavenDeploy(context.token, 'com.acme.fz', 'lib', version);
    return [fromPlanned(context, 'jar upload', jar), fromPlanned(context, 'pom upload', pom), fromPlanned(context, 'metadata upload', metadata)];
  },
  structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const put = (label: string, path: string, body: Buffer | string) =>
      cases.push(
        rawCase(context, 'maven file', label, {
          method: 'PUT',
          target: `${context.prefix}${path}`,
          headers: [['Authorization', basicAuth(context.token)]],
          body,
        }),
      );
    const pomPath = (version: string) => `com/acme/fz/evil/${version}/evil-${version}.pom`;
    put('deep POM', pomPath('1.1'), deepXml(50_000));
    put('POM entity expansion', pomPath('1.2'), laughs('project'));
    put('POM external entity', pomPath('1.3'), '<?xml version="1.0"?><!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]><project>&x;</project>');
    put(
      'POM of invalid UTF-8',
      pomPath('1.4'),
      Buffer.concat([
        Buffer.from(buildPom({ groupId: 'com.acme.fz', artifactId: 'evil', version: '1.4' }).replace('</project>', '<description>')),
        INVALID_UTF8,
        Buffer.from('</description></project>'),
      ]),
    );
    put('POM of 5 MB', pomPath('1.5'), buildPom({ groupId: 'com.acme.fz', artifactId: 'evil', version: '1.5', description: 'd'.repeat(5 * 1024 * 1024) }));
    put('POM naming other coordinates', pomPath('1.6'), buildPom({ groupId: 'org.other', artifactId: 'x', version: '9' }));
    put(
      'POM with 20k dependencies',
      pomPath('1.7'),
      buildPom({
        groupId: 'com.acme.fz',
        artifactId: 'evil',
        version: '1.7',
        dependencies: Array.from({ length: 20_000 }, (_, index) => ({ groupId: 'g', artifactId: `a${index}`, version: '1' })),
      }),
    );
    put('jar that is no zip', 'com/acme/fz/evil/1.8/evil-1.8.jar', 'not a zip');
    put('jar zip bomb', 'com/acme/fz/evil/1.9/evil-1.9.jar', zipBytes([{ name: 'zeros', content: '', declaredSize: 100, rawData: deflatedZeros(64) }]));
    put('metadata deep', `com/acme/fz/evil/maven-metadata.xml`, deepXml(50_000, 'metadata'));
    put('metadata entity expansion', `com/acme/fz/evil/maven-metadata.xml`, laughs('metadata'));
    put(
      'metadata with 100k versions',
      MAVEN_DIR + '/maven-metadata.xml',
      clientMetadata(
        'com.acme.fz',
        'lib',
        Array.from({ length: 100_000 }, (_, index) => `9.${index}`),
      ),
    );
    put(
      'metadata of invalid UTF-8',
      MAVEN_DIR + '/maven-metadata.xml',
      Buffer.concat([Buffer.from('<metadata><groupId>'), INVALID_UTF8, Buffer.from('</groupId></metadata>')]),
    );
    put('sidecar of 2 KB', `${MAVEN_DIR}/1.0/lib-1.0.jar.sha1`, 'a'.repeat(2048));
    put('sidecar of garbage', `${MAVEN_DIR}/1.0/lib-1.0.jar.md5`, '\u0000\u00ff');
    put('group with dot-dot', `com/../../fz/evil/2.0/evil-2.0.jar`, buildJar());
    put('version dot-dot', `com/acme/fz/evil/../evil-...jar`, buildJar());
    put('file of another artifact', `com/acme/fz/evil/2.1/other-2.1.jar`, buildJar());
    put('snapshot with odd timestamp', `com/acme/fz/evil/2.2-SNAPSHOT/evil-2.2-99999999.999999-0.jar`, buildJar());
    const pom = buildPom({ groupId: 'com.acme.fz', artifactId: 'damaged', version: '1.0' });
    for (let index = 0; index < damaged; index++) {
      const version = `1.${index}`;
      put(`damaged POM #${index}`, `com/acme/fz/damaged/${version}/damaged-${version}.pom`, damage(Buffer.from(pom.replace(/1\.0/g, version)), context.random));
    }
    return cases.map((item) => (item.label.startsWith('damaged') ? { ...item, category: 'maven damaged POM' } : item));
  },
};
