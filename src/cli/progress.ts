/** Progress for long work: a spinner on a terminal, nothing at all on a pipe. */

export type ProgressUpdate = (text: string) => void;

async function startProgress(): Promise<{ update: ProgressUpdate; stop(): void }> {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const [{ default: ora }, { colorLevel }] = await Promise.all([import('ora'), import('./color.js')]);
  const spinner = ora({ stream: process.stderr, color: colorLevel(process.stderr) > 0 ? 'cyan' : false }).start();
  return { update: (text) => (spinner.text = text), stop: () => spinner.stop() };
}

export async function withProgress<T>(work: (update: ProgressUpdate) => Promise<T>): Promise<T> {
  const progress = await startProgress();
  try {
    return await work(progress.update);
  } finally {
    progress.stop();
  }
}
