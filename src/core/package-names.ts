/**
 * How a package named on the command line (or in an API-style request) becomes the name that is
 * stored, as CodeArtifact normalises it (docs/reference/concepts.md, "Namespace and name by
 * format"). The per-format part comes from the format's rules (core/format-rules.ts); callers
 * that know only the format's name use formats/package-names.ts, which looks the rules up.
 */
import { ValidationError } from '../errors.js';
import { shellWord } from './command-line.js';
import type { FormatRules } from './format-rules.js';
import type { PackageFormat } from './model.js';
import { validatePackagePart } from './names.js';

/** A package named by format, optional namespace and name, after normalisation. */
export interface NormalizedPackage {
  format: PackageFormat;
  namespace?: string;
  name: string;
}

/** Validates and normalises namespace and name together under the format's rules; throws ValidationError. */
export function normalizePackageWith(rules: FormatRules, namespace: string | undefined, name: string): NormalizedPackage {
  const { format } = rules;
  const givenNamespace = namespace === '' ? undefined : namespace;
  if (givenNamespace === undefined) refuseWholeName(rules, name);
  if (givenNamespace === undefined && rules.namespace === 'required') {
    throw new ValidationError(`--namespace is required for ${format} packages.`);
  }
  if (givenNamespace !== undefined && rules.namespace === 'forbidden') {
    throw new ValidationError(`${format} packages have no namespace; leave out --namespace.`);
  }
  const normalized: NormalizedPackage = { format, name: validatePackagePart('package', rules.normalizeName(name)) };
  if (givenNamespace !== undefined) normalized.namespace = validatePackagePart('namespace', rules.normalizeNamespace(givenNamespace));
  return normalized;
}

/**
 * A name written the way people write packages (`@scope/name`, `group:artifact`) where the
 * commands take the parts apart: refused with the flags to use instead.
 */
function refuseWholeName(rules: FormatRules, name: string): void {
  const parts = rules.splitWholeName(name);
  if (!parts) return;
  const word = rules.namespaceWord;
  throw new ValidationError(`--package ${JSON.stringify(name)} holds a ${word} as well as a name; the ${word} goes in --namespace.`, {
    hint: `Use --namespace ${shellWord(parts.namespace)} --package ${shellWord(parts.name)}.`,
  });
}
