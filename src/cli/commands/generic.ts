/** publish-package-version: publishing one asset of a generic package from a file. */
import { createReadStream, promises as fs } from 'node:fs';
import { ValidationError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { domainOf, type PackageOptions } from './packages-options.js';

interface PublishOptions extends PackageOptions {
  packageVersion?: string;
  assetName?: string;
  assetContent?: string;
  assetSha256?: string;
  unfinished?: boolean;
}

export async function publishPackageVersion(options: PublishOptions, context: CliContext): Promise<unknown> {
  const format = await context.need(options.format, '--format');
  if (format !== 'generic') {
    throw new ValidationError(`publish-package-version publishes generic packages only; got --format ${format}.`, {
      hint: 'Publish other formats with their own client (npm publish, twine upload, ...) against `artifact-cli serve`.',
    });
  }
  const domain = await domainOf(options, context);
  const repository = await context.need(options.repository, '--repository', undefined, (await context.config()).repository);
  const input = {
    domain,
    repository,
    namespace: await context.need(options.namespace, '--namespace'),
    package: await context.need(options.package, '--package'),
    version: await context.need(options.packageVersion, '--package-version'),
    assetName: await context.need(options.assetName, '--asset-name'),
    assetSha256: await context.need(options.assetSha256, '--asset-sha256'),
    unfinished: Boolean(options.unfinished),
  };
  const file = await context.need(options.assetContent, '--asset-content');
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new ValidationError(`--asset-content ${file} is not a readable file.`);
  const { publishGenericAsset } = await import('../../operations/generic-publish.js');
  return publishGenericAsset(await context.store(), { ...input, content: createReadStream(file) });
}
