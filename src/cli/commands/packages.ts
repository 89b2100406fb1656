/** list-packages, describe-package, delete-package. */
import type { Command } from 'commander';
import { action } from '../context.js';
import { addPackageOptions, addPageOptions, addRepositoryOptions, domainOf, packageKeyOf, pageOf, type PackageOptions } from './packages-options.js';

interface ListPackagesOptions extends PackageOptions {
  packagePrefix?: string;
  publish?: string;
  upstream?: string;
}

const operations = () => import('../../operations/packages.js');

export function register(program: Command): void {
  addPageOptions(
    addRepositoryOptions(program.command('list-packages').description('List the packages a repository stores itself (upstreams are not searched).')),
  )
    .option('--format <format>', 'Only packages of this format.')
    .option('--namespace <prefix>', 'Only packages whose namespace starts with this.')
    .option('--package-prefix <prefix>', 'Only packages whose name starts with this.')
    .option('--publish <ALLOW|BLOCK>', 'Only packages whose origin controls set publish to this.')
    .option('--upstream <ALLOW|BLOCK>', 'Only packages whose origin controls set upstream to this.')
    .action(
      action<ListPackagesOptions>(async (options, context) => {
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
      }),
    );

  addPackageOptions(addRepositoryOptions(program.command('describe-package').description('Show a package and its origin controls.'))).action(
    action<PackageOptions>(async (options, context) => {
      const { describePackage } = await operations();
      return describePackage(await context.store(), await packageKeyOf(options, context));
    }),
  );

  addPackageOptions(
    addRepositoryOptions(program.command('delete-package').description('Delete a package with all its versions from a repository; blobs stay until gc.')),
  ).action(
    action<PackageOptions>(async (options, context) => {
      const { deletePackage } = await operations();
      return deletePackage(await context.store(), await packageKeyOf(options, context));
    }),
  );
}
