/** `sync`: pull what a lockfile (or --package) names through a repository's chain into it. */
import type { Command } from 'commander';
import { UpstreamError, ValidationError } from '../../errors.js';
import { action, collect, printResult } from '../context.js';
import { withProgress } from '../progress.js';

interface SyncOptions {
  domain?: string;
  repository?: string;
  from?: string[];
  package?: string[];
  concurrency?: string;
}

export function register(program: Command): void {
  program
    .command('sync')
    .description('Fetch every npm package version a lockfile lists (or --package names) into a repository, for offline installs.')
    .option('--domain <name>', 'The domain.')
    .option('--repository <name>', 'The repository to fill.')
    .option('--from <lockfile>', 'package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml (repeatable).', collect)
    .option('--package <spec>', 'A package as name@range or name@tag (repeatable).', collect)
    .option('--concurrency <n>', 'Packages fetched at once (default 8).')
    .action(
      action<SyncOptions>(async (options, context) => {
        const config = await context.config();
        const domain = await context.need(options.domain, '--domain', undefined, config.domain);
        const repository = await context.need(options.repository, '--repository', undefined, config.repository);
        if (!options.from?.length && !options.package?.length) throw new ValidationError('Give --from LOCKFILE or --package NAME@RANGE.');
        const concurrency = options.concurrency === undefined ? 8 : Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new ValidationError('--concurrency must be a whole number from 1 to 64.');

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
        throw new UpstreamError(`sync could not fetch ${result.failed.length} of ${requests.length} packages; the first: ${first.package}@${first.version}: ${first.error}`);
      }),
    );
}
