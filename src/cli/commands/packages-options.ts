/** The options that name a package (and where it lives), shared by the package and version commands. */
import type { PackageKey } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import { normalizePackage, parsePackageFormat, type NormalizedPackage } from '../../formats/package-names.js';
import { parseShorthandObject } from '../shorthand.js';
import type { CliContext } from '../context.js';

export interface PackageOptions {
  domain?: string;
  domainOwner?: string;
  repository?: string;
  format?: string;
  namespace?: string;
  package?: string;
  maxResults?: number;
  nextToken?: string;
}

export function pageOf(options: PackageOptions) {
  return { maxResults: options.maxResults, nextToken: options.nextToken };
}

export async function domainOf(options: PackageOptions, context: CliContext): Promise<string> {
  return context.need(options.domain, '--domain', undefined, (await context.config()).domain);
}

/** --format, --namespace and --package, normalised as the format stores them. */
export async function packageOf(options: PackageOptions, context: CliContext): Promise<NormalizedPackage> {
  const format = parsePackageFormat(await context.need(options.format, '--format'));
  return normalizePackage(format, options.namespace, await context.need(options.package, '--package'));
}

/** Domain, repository (both may come from the config file) and the package. */
export async function packageKeyOf(options: PackageOptions, context: CliContext): Promise<PackageKey> {
  const domain = await domainOf(options, context);
  const repository = await context.need(options.repository, '--repository', undefined, (await context.config()).repository);
  return { domain, repository, ...(await packageOf(options, context)) };
}

/**
 * --version-revisions as the AWS CLI takes a map: `1.0=REV 2.0=REV`, `1.0=REV,2.0=REV`, or JSON.
 * A revision may itself end in '=' (base64), so each pair splits at its first '='.
 */
export function parseVersionRevisions(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  if (values.length === 1 && values[0].trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values[0]);
    } catch {
      throw new ValidationError('--version-revisions holds JSON that does not parse.');
    }
    if (!Object.values(parsed as object).every((value) => typeof value === 'string')) {
      throw new ValidationError('--version-revisions JSON must map each version to its revision string.');
    }
    return parsed as Record<string, string>;
  }
  const revisions: Record<string, string> = {};
  for (const value of values) Object.assign(revisions, parseShorthandObject(value, '--version-revisions'));
  return revisions;
}
