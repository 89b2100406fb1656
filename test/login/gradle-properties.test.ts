import { describe, expect, it } from 'vitest';
import { gradleInstructions, gradlePropertiesPath, gradlePropertiesWriter } from '../../src/login/gradle-properties.js';
import { sampleInput, TOKEN } from './sample-input.js';

const input = sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/maven/main/' });
const LINES = ['artifactCliUrl=http://127.0.0.1:8573/acme/maven/main/', 'artifactCliUsername=aws', `artifactCliPassword=${TOKEN}`];

describe('gradle.properties writer', () => {
  it('writes the URL and the credentials Gradle looks up by repository name', () => {
    expect(gradlePropertiesWriter.render(undefined, input)).toBe(`${LINES.join('\n')}\n`);
  });

  it('keeps other properties and comments, and replaces old values (including continued lines) once', () => {
    const before = [
      '# build tuning',
      'org.gradle.jvmargs=-Xmx2g \\',
      '    -Dfile.encoding=UTF-8',
      'artifactCliPassword = old-token \\',
      '    continued',
      '! another comment',
      'artifactCliPassword: older',
      '',
    ].join('\n');
    expect(gradlePropertiesWriter.render(before, input)).toBe(
      ['# build tuning', 'org.gradle.jvmargs=-Xmx2g \\', '    -Dfile.encoding=UTF-8', LINES[2], '! another comment', LINES[0], LINES[1], ''].join('\n'),
    );
  });

  it('does not mistake a key that only starts the same for ours', () => {
    expect(gradlePropertiesWriter.render('artifactCliUrlOld=x\n', input)).toBe(`artifactCliUrlOld=x\n${LINES.join('\n')}\n`);
  });

  it('follows GRADLE_USER_HOME', () => {
    expect(gradlePropertiesPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.gradle/gradle.properties');
    expect(gradlePropertiesPath({ env: { GRADLE_USER_HOME: '/opt/gradle-home' }, homeDir: '/home/u' })).toBe('/opt/gradle-home/gradle.properties');
  });

  it('prints build script lines that use the properties, allowing http only for http endpoints', () => {
    const text = gradleInstructions(input).join('\n');
    expect(text).toContain('credentials(PasswordCredentials::class)');
    expect(text).toContain('providers.gradleProperty("artifactCliUrl")');
    expect(text).toContain('isAllowInsecureProtocol = true');
    // Groovy: by property name, and no API Gradle 4.4 lacks (test/e2e/maven.test.ts runs it there).
    expect(text).toContain(
      '        url artifactCliUrl\n        credentials {\n            username artifactCliUsername\n            password artifactCliPassword\n        }\n',
    );
    expect(text).toContain("if (it.hasProperty('allowInsecureProtocol')) allowInsecureProtocol = true");
    expect(text).not.toContain(TOKEN);
    const secure = gradleInstructions(sampleInput({ endpoint: 'https://repo.test/acme/maven/main/' })).join('\n');
    expect(secure).not.toContain('Insecure');
    expect(secure).not.toContain('allowInsecureProtocol');
  });
});
