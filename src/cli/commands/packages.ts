/** list-packages, describe-package, delete-package. */
import type { CliContext } from '../context.js';
import { domainOf, packageKeyOf, pageOf, type PackageOptions } from './packages-options.js';

interface ListPackagesOptions extends PackageOptions {
  packagePrefix?: string;
  publish?: string;
  upstream?: string;
}

const operations = () => import('../../operations/packages.js');

export async function listPackages(options: ListPackagesOptions, context: CliContext): Promise<unknown> {
  const { listPackages } = await operations();
  return listPackages(await context.store(), {
    domain: await domainOf(options, context),
    repository: await context.need(options.repository, '--repository', undefined, (await context.config()).repository),
    format: options.format,
    namespace: options.namespace,
    packagePrefix: options.packagePrefix,
    publish: options.publish,
    upstream: options.upstream,
    ...pageOf(options),
  });
}

export async function describePackage(options: PackageOptions, context: CliContext): Promise<unknown> {
  const { describePackage } = await operations();
  return describePackage(await context.store(), await packageKeyOf(options, context));
}

export async function deletePackage(options: PackageOptions, context: CliContext): Promise<unknown> {
  const { deletePackage } = await operations();
  return deletePackage(await context.store(), await packageKeyOf(options, context));
}
