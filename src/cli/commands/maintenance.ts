/** gc and verify: keeping the store small and checking that it is intact. */
import type { Command } from 'commander';
import { IntegrityError } from '../../errors.js';
import { action, printResult } from '../context.js';
import { withProgress } from '../progress.js';

interface GcOptions {
  dryRun?: boolean;
  graceSeconds?: string;
}

export function register(program: Command): void {
  program
    .command('gc')
    .description('Remove blobs that no index references, and stale temp files.')
    .option('--dry-run', 'Only list what would be removed.')
    .option('--grace-seconds <n>', 'Keep blobs and temp files younger than this, for publishes in flight (default 3600).')
    .action(
      action<GcOptions>(async (options, context) => {
        const { collectGarbage } = await import('../../operations/gc.js');
        const store = await context.store();
        const graceSeconds = options.graceSeconds === undefined ? undefined : Number(options.graceSeconds);
        return withProgress((onProgress) => collectGarbage(store, { dryRun: options.dryRun, graceSeconds, onProgress }));
      }),
    );

  program
    .command('verify')
    .description(`Re-hash every blob and check every index; exits ${new IntegrityError('').exitCode} when it finds a problem.`)
    .action(
      action(async (_options, context) => {
        const { verifyStore } = await import('../../operations/verify.js');
        const store = await context.store();
        const report = await withProgress((onProgress) => verifyStore(store, onProgress));
        if (report.problems.length === 0) return report;
        await printResult(report, context);
        const [first] = report.problems;
        throw new IntegrityError(`verify found ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the first: ${first.path} ${first.problem}.`, {
          hint: 'Restore the damaged files from a backup, or delete the affected versions and publish them again.',
        });
      }),
    );
}
