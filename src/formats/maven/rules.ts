/** Maven's rules for the layers outside this folder (core/format-rules.ts): the group is the namespace. */
import { defineFormatRules } from '../../core/format-rules.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    maven: true;
  }
}

export const mavenRules = defineFormatRules({
  format: 'maven',
  namespace: 'required',
  namespaceWord: 'group',
  splitWholeName: (name) => {
    const parts = /^([^:]+):([^:]+)$/.exec(name);
    return parts ? { namespace: parts[1], name: parts[2] } : undefined;
  },
  externalConnections: ['public:maven-central', 'public:maven-googleandroid', 'public:maven-gradleplugins', 'public:maven-commonsware', 'public:maven-clojars'],
  loginTools: ['maven', 'gradle'],
  installSnippets: ({ namespace, name, version }) => [
    {
      label: 'Maven (pom.xml)',
      text: `<dependency>\n  <groupId>${xmlText(namespace ?? '')}</groupId>\n  <artifactId>${xmlText(name)}</artifactId>\n  <version>${xmlText(version)}</version>\n</dependency>`,
    },
    { label: 'Gradle (Kotlin)', text: `implementation("${namespace}:${name}:${version}")` },
    { label: 'Gradle (Groovy)', text: `implementation '${namespace}:${name}:${version}'` },
  ],
});

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
