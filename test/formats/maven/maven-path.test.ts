import { describe, expect, it } from 'vitest';
import { ResourceNotFoundError, ValidationError } from '../../../src/errors.js';
import { metadataLevels, parseFileName, parseMavenPath } from '../../../src/formats/maven/maven-path.js';

describe('parseMavenPath', () => {
  it('reads groupId, artifactId, version and file from the right, and the checksum suffix', () => {
    expect(parseMavenPath('org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.jar.sha256', false)).toEqual({
      kind: 'file',
      file: { groupId: 'org.apache.commons', artifactId: 'commons-lang3', version: '3.14.0', fileName: 'commons-lang3-3.14.0.jar' },
      checksum: 'sha256',
    });
    expect(parseMavenPath('junit/junit/maven-metadata.xml', false)).toEqual({ kind: 'metadata', dirs: ['junit', 'junit'], checksum: undefined });
  });

  it('answers 404 for reads and 400 for writes that do not fit the layout', () => {
    for (const path of ['a.jar', 'com/x/1.0.jar', 'maven-metadata.xml', 'com/acme/util/', 'com.acme/util/1.0/util-1.0.jar']) {
      expect(() => parseMavenPath(path, false)).toThrow(ResourceNotFoundError);
      expect(() => parseMavenPath(path, true)).toThrow(ValidationError);
    }
  });

  it('refuses encoded separators, dot segments and bad percent-encoding on any method', () => {
    for (const path of [
      'com%2Facme/util/1.0/util-1.0.jar',
      'com/acme/%2e%2e/1.0/x.jar',
      'com/acme/util/1.0/a%5Cb.jar',
      'com/acme/util/1.0/%E0%A4%A.jar',
      'com/acme/util/1.0/a%00.jar',
    ]) {
      expect(() => parseMavenPath(path, false)).toThrow(ValidationError);
    }
  });
});

describe('metadataLevels', () => {
  it('reads a -SNAPSHOT folder as version level, and every folder as artifact and group level', () => {
    expect(metadataLevels(['com', 'acme', 'util', '1.0-SNAPSHOT'])).toEqual({
      snapshot: { groupId: 'com.acme', artifactId: 'util', version: '1.0-SNAPSHOT' },
      artifact: { groupId: 'com.acme.util', artifactId: '1.0-SNAPSHOT' },
      groupId: 'com.acme.util.1.0-SNAPSHOT',
    });
    expect(metadataLevels(['org', 'apache', 'maven', 'plugins']).snapshot).toBeUndefined();
  });
});

describe('parseFileName', () => {
  it('splits classifier and extension, and the build of a timestamped SNAPSHOT file', () => {
    expect(parseFileName('util', '1.0', 'util-1.0-sources.jar')).toEqual({ classifier: 'sources', extension: 'jar' });
    expect(parseFileName('util', '1.0', 'util-1.0.tar.gz')).toEqual({ extension: 'tar.gz' });
    expect(parseFileName('util', '1.0', 'util-1.0.jar.asc')).toEqual({ extension: 'jar.asc' });
    expect(parseFileName('util', '1.0-SNAPSHOT', 'util-1.0-20240501.103000-3-linux-x86_64.so')).toEqual({
      build: { timestamp: '20240501.103000', buildNumber: 3 },
      classifier: 'linux-x86_64',
      extension: 'so',
    });
    expect(parseFileName('util', '1.0-SNAPSHOT', 'util-1.0-SNAPSHOT.pom')).toEqual({ extension: 'pom' });
    expect(parseFileName('util', '1.0', 'other-1.0.jar')).toBeUndefined();
    expect(parseFileName('util', '1.0', 'util-1.0')).toBeUndefined();
  });
});
