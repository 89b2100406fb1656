import { describe, expect, it } from 'vitest';
import { XmlProblem } from '../../../src/formats/maven/maven-xml.js';
import { coordinateMismatches, readPom } from '../../../src/formats/maven/pom.js';

const POM = `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>2.1</version></parent>
  <artifactId>child</artifactId>
  <packaging>maven-plugin</packaging>
  <name>Child &amp; friends</name>
  <scm><url>https://example.com/child.git</url></scm>
  <dependencies>
    <dependency><groupId>com.acme</groupId><artifactId>sibling</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><scope>provided</scope></dependency>
  </dependencies>
  <dependencyManagement><dependencies><dependency><groupId>x</groupId><artifactId>managed</artifactId><version>1</version></dependency></dependencies></dependencyManagement>
</project>`;

describe('readPom', () => {
  it('takes groupId and version from the parent, and the fields the version record keeps', () => {
    const pom = readPom(POM);
    expect(pom.coordinates).toEqual({ groupId: 'com.acme', artifactId: 'child', version: '2.1', packaging: 'maven-plugin' });
    expect(pom.fields.summary).toBe('Child & friends');
    expect(pom.fields.sourceCodeRepository).toBe('https://example.com/child.git');
    expect(pom.fields.dependencies).toEqual([
      { dependencyType: 'compile', namespace: 'com.acme', package: 'sibling', versionRequirement: '2.1' },
      { dependencyType: 'provided', namespace: 'org.slf4j', package: 'slf4j-api' },
    ]);
  });

  it('refuses documents that are not a POM, and DOCTYPEs', () => {
    expect(() => readPom('not xml at all <')).toThrow(XmlProblem);
    expect(() => readPom('<metadata/>')).toThrow(/not <project>/);
    expect(() => readPom('<!DOCTYPE x [<!ENTITY a "b">]><project/>')).toThrow(/DOCTYPE/);
  });

  it('refuses a character reference XML forbids instead of dropping it, so "2.0&#xD800;" never reads as 2.0', () => {
    const pom = (version: string) => `<project><groupId>g</groupId><artifactId>a</artifactId><version>${version}</version></project>`;
    for (const reference of ['&#xD800;', '&#55296;', '&#x1;', '&#xFFFE;', '&#x110000;'])
      expect(() => readPom(pom(`2.0${reference}`)), reference).toThrow(/a character XML does not allow/);
    expect(() => readPom(pom('2.0&#x41;&#9;'))).not.toThrow();
  });

  it('compares coordinates with the path, skipping property references', () => {
    expect(
      coordinateMismatches(
        { groupId: 'com.acme', artifactId: 'child', version: '${revision}', packaging: 'jar' },
        { groupId: 'com.acme', artifactId: 'child', version: '1.0' },
      ),
    ).toEqual([]);
    expect(
      coordinateMismatches(
        { groupId: 'com.other', artifactId: 'child', version: '1.0', packaging: 'jar' },
        { groupId: 'com.acme', artifactId: 'child', version: '1.0' },
      ),
    ).toHaveLength(1);
  });
});
