/** put-package-origin-configuration: the per-package publish/upstream controls of one repository. */
import { parseJson } from '../aws-values.js';
import type { CliContext } from '../context.js';
import { packageKeyOf, type PackageOptions } from './packages-options.js';

interface OriginOptions extends PackageOptions {
  restrictions?: string;
}

export async function putPackageOriginConfiguration(options: OriginOptions, context: CliContext): Promise<unknown> {
  const key = await packageKeyOf(options, context);
  const { checkRestrictions, parseRestrictions, putPackageOriginConfiguration } = await import('../../operations/origin-configuration.js');
  const text = await context.need(options.restrictions, '--restrictions');
  // JSON, as the AWS CLI takes a structure, or the shorthand publish=..,upstream=..
  const restrictions = text.trim().startsWith('{') ? checkRestrictions(parseJson(text, '--restrictions') as Record<string, unknown>) : parseRestrictions(text);
  return putPackageOriginConfiguration(await context.store(), key, restrictions);
}
