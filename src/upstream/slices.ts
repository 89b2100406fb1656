/**
 * Work on big upstream documents in bounded slices, so the event loop keeps turning: every
 * other request waits for at most one slice, not for the whole document. A Slicer is asked
 * often (cheaply) whether its slice is used up, and then gives the loop a turn.
 */

// Long enough that the turns cost little, short enough that no client notices one slice.
const SLICE_MS = 12;

export class Slicer {
  private started = performance.now();
  private calls = 0;

  /** True once the slice is used up; checks the clock only every 64th call, so it may be asked per item. */
  due(): boolean {
    return (++this.calls & 63) === 0 && performance.now() - this.started >= SLICE_MS;
  }

  /** Gives the event loop a turn and starts a new slice. */
  async turn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }

  /** A turn if the slice is used up. */
  async pause(): Promise<void> {
    if (this.due()) await this.turn();
  }
}

// Only the top levels are looked into: a cache entry's document's versions are at depth two,
// and each version is written at once.
const SLICED_DEPTH = 3;

/**
 * JSON.stringify(value), written in slices: its top levels member by member, each member
 * below them at once (a packument's versions one by one).
 */
export async function stringifyInSlices(value: unknown, slicer = new Slicer(), depth = 0): Promise<string> {
  if (depth >= SLICED_DEPTH || !value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(value) ?? 'null';
  }
  const parts: string[] = [];
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${await stringifyInSlices(member, slicer, depth + 1)}`);
    await slicer.pause();
  }
  return `{${parts.join(',')}}`;
}

/**
 * Freezes `value` and everything in it, in slices (shared cached values are frozen; a
 * packument's worth of objects takes a while). Iterative, so depth is no matter.
 */
export async function freezeInSlices(value: unknown, slicer = new Slicer()): Promise<void> {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    if (slicer.due()) await slicer.turn();
    const next = pending.pop();
    if (!next || typeof next !== 'object' || Object.isFrozen(next)) continue;
    Object.freeze(next);
    for (const child of Object.values(next)) pending.push(child);
  }
}
