/** gc and verify: keeping the store small and checking that it is intact. */
import type { Command } from 'commander';
import { IntegrityError } from '../../errors.js';
import { action, type CliContext } from '../context.js';

interface GcOptions {
  dryRun?: boolean;
  graceSeconds?: string;
}

/** Progress for long work: a spinner on a terminal, nothing at all on a pipe. */
async function startProgress(): Promise<{ update(text: string): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr }).start();
  return { update: (text) => (spinner.text = text), stop: () => spinner.stop() };
}

async function withProgress<T>(work: (update: (text: string) => void) => Promise<T>): Promise<T> {
  const progress = await startProgress();
  try {
    return await work(progress.update);
  } finally {
    progress.stop();
  }
}

/** Prints a result the way `action` does; verify needs it before it fails. */
async function printResult(result: unknown, context: CliContext): Promise<void> {
  const { applyQuery, chooseOutputFormat, renderResult } = await import('../output.js');
  const format = chooseOutputFormat(context.globals.output, Boolean(process.stdout.isTTY));
  process.stdout.write(renderResult(await applyQuery(result, context.globals.query), format));
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
