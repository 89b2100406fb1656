/** `sync`: pull what a lockfile (or --package) names through a repository's chain into it. */
import { UpstreamError, ValidationError } from '../../errors.js';
import { printResult, type CliContext } from '../context.js';
import { withProgress } from '../progress.js';

interface SyncOptions {
  domain?: string;
  repository?: string;
  from?: string[];
  package?: string[];
  concurrency?: number;
}

export async function sync(options: SyncOptions, context: CliContext): Promise<unknown> {
  const config = await context.config();
  const domain = await context.need(options.domain, '--domain', undefined, config.domain);
  const repository = await context.need(options.repository, '--repository', undefined, config.repository);
  if (!options.from?.length && !options.package?.length) throw new ValidationError('Give --from LOCKFILE or --package NAME@RANGE.');
  const concurrency = options.concurrency ?? 8;

  const { readFile } = await import('node:fs/promises');
  const { parseLockfile } = await import('../../formats/npm/lockfiles/index.js');
  const { parsePackageSpec, syncPackages } = await import('../../formats/npm/sync.js');
  const { requireRepository } = await import('../../operations/repositories.js');
  const requests = (options.package ?? []).map(parsePackageSpec);
  for (const file of options.from ?? []) {
    const text = await readFile(file, 'utf8').catch(() => {
      throw new ValidationError(`Cannot read ${file}.`);
    });
    requests.push(...parseLockfile(file, text));
  }
  const store = await context.store();
  const readContext = {
    deps: { store, config, log: (line: string) => process.stderr.write(`${line}\n`) },
    domain,
    repository: await requireRepository(store, domain, repository),
  };
  const result = await withProgress((update) =>
    syncPackages(readContext, requests, { concurrency, onProgress: (done, total) => update(`sync ${done}/${total}`) }),
  );
  const summary = { fetched: result.fetched.length, alreadyPresent: result.alreadyPresent.length, failed: result.failed };
  if (result.failed.length === 0) return summary;
  await printResult(summary, context);
  const [first] = result.failed;
  throw new UpstreamError(
    `sync could not fetch ${result.failed.length} of ${requests.length} packages; the first: ${first.package}@${first.version}: ${first.error}`,
  );
}
