/** gc and verify: keeping the store small and checking that it is intact. */
import { IntegrityError } from '../../errors.js';
import { printResult, type CliContext } from '../context.js';
import { withProgress } from '../progress.js';

interface GcOptions {
  dryRun?: boolean;
  graceSeconds?: number;
}

export async function gc(options: GcOptions, context: CliContext): Promise<unknown> {
  const { collectGarbage } = await import('../../operations/gc.js');
  const store = await context.store();
  return withProgress((onProgress) => collectGarbage(store, { dryRun: options.dryRun, graceSeconds: options.graceSeconds, onProgress }));
}

export async function verify(_options: unknown, context: CliContext): Promise<unknown> {
  const { verifyStore } = await import('../../operations/verify.js');
  const store = await context.store();
  const report = await withProgress((onProgress) => verifyStore(store, onProgress));
  if (report.problems.length === 0) return report;
  await printResult(report, context);
  const [first] = report.problems;
  throw new IntegrityError(
    `verify found ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the first: ${first.path} ${first.problem}.`,
    {
      hint: 'Restore the damaged files from a backup, or delete the affected versions and publish them again.',
    },
  );
}
