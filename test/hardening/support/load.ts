/** Small tools for measuring under load: readers that run while something else happens, and percentiles. */

export interface ReadTally<T> {
  result: T;
  reads: number;
  /** One line per failed read, saying what went wrong. */
  failures: string[];
}

/**
 * Runs `read` in `parallel` loops until `work` settles, then returns its result with the count
 * of reads and the failures. `read` resolves to undefined when the read was right, else to a
 * description of what was wrong.
 */
export async function readWhile<T>(work: Promise<T>, parallel: number, read: () => Promise<string | undefined>): Promise<ReadTally<T>> {
  let done = false;
  let reads = 0;
  const failures: string[] = [];
  const loop = async () => {
    while (!done) {
      reads += 1;
      const failure = await read().catch((error: unknown) => `threw ${describeError(error)}`);
      if (failure) failures.push(failure);
    }
  };
  const loops = Array.from({ length: parallel }, loop);
  try {
    return { result: await work, reads, failures };
  } finally {
    done = true;
    await Promise.all(loops);
  }
}

/** The p-th percentile (0-100) of the values, nearest-rank; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** An error's message with its causes (fetch hides the real one in `cause`). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current && parts.length < 4; current = (current as Error).cause) parts.push((current as Error).message ?? JSON.stringify(current));
  return parts.join(': ');
}
