/**
 * The external connection names CodeArtifact knows (docs/reference/upstreams.md) and their
 * formats, gathered from the formats' rules: each format names its own connections.
 */
import type { PackageFormat } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { FORMAT_RULES } from './registry.js';

export const EXTERNAL_CONNECTIONS: Readonly<Record<string, PackageFormat>> = Object.fromEntries(
  FORMAT_RULES.flatMap((rules) => rules.externalConnections.map((name) => [name, rules.format])),
);

export function externalConnectionFormat(name: string): PackageFormat {
  const format = Object.hasOwn(EXTERNAL_CONNECTIONS, name) ? EXTERNAL_CONNECTIONS[name] : undefined;
  if (!format) {
    throw new ValidationError(`Unknown external connection ${JSON.stringify(name)}.`, {
      hint: `Use one of: ${Object.keys(EXTERNAL_CONNECTIONS).join(', ')}.`,
    });
  }
  return format;
}
