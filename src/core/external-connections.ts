/** The external connection names CodeArtifact knows (docs/reference/upstreams.md) and their formats. */
import type { PackageFormat } from './model.js';
import { ValidationError } from '../errors.js';

export const EXTERNAL_CONNECTIONS: Readonly<Record<string, PackageFormat>> = {
  'public:npmjs': 'npm',
  'public:pypi': 'pypi',
  'public:maven-central': 'maven',
  'public:maven-googleandroid': 'maven',
  'public:maven-gradleplugins': 'maven',
  'public:maven-commonsware': 'maven',
  'public:maven-clojars': 'maven',
  'public:nuget-org': 'nuget',
  'public:ruby-gems-org': 'ruby',
  'public:crates-io': 'cargo',
};

export function externalConnectionFormat(name: string): PackageFormat {
  const format = EXTERNAL_CONNECTIONS[name];
  if (!format) {
    throw new ValidationError(`Unknown external connection ${JSON.stringify(name)}.`, {
      hint: `Use one of: ${Object.keys(EXTERNAL_CONNECTIONS).join(', ')}.`,
    });
  }
  return format;
}
