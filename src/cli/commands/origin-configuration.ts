/** put-package-origin-configuration: the per-package publish/upstream controls of one repository. */
import type { Command } from 'commander';
import { parseJson } from '../aws-values.js';
import { action } from '../context.js';
import { addPackageOptions, addRepositoryOptions, packageKeyOf, type PackageOptions } from './packages-options.js';

interface OriginOptions extends PackageOptions {
  restrictions?: string;
}

export function register(program: Command): void {
  addPackageOptions(
    addRepositoryOptions(
      program
        .command('put-package-origin-configuration')
        .description('Set whether a package may be published here and taken from upstreams; works before the package exists.'),
    ),
  )
    .option('--restrictions <publish=..,upstream=..>', 'Both controls, e.g. publish=ALLOW,upstream=BLOCK (or JSON).')
    .action(
      action<OriginOptions>(async (options, context) => {
        const key = await packageKeyOf(options, context);
        const { checkRestrictions, parseRestrictions, putPackageOriginConfiguration } = await import('../../operations/origin-configuration.js');
        const text = await context.need(options.restrictions, '--restrictions');
        // JSON, as the AWS CLI takes a structure, or the shorthand publish=..,upstream=..
        const restrictions = text.trim().startsWith('{') ? checkRestrictions(parseJson(text, '--restrictions') as Record<string, unknown>) : parseRestrictions(text);
        return putPackageOriginConfiguration(await context.store(), key, restrictions);
      }),
    );
}
