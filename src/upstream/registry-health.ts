/**
 * Which registries have stopped answering. A registry whose last FAILURES_TO_DOUBT requests in a
 * row got no answer at all (refused, reset, timed out) is in doubt until one is answered again:
 * while it is, a stale cached document is served at once and refreshed behind the answer,
 * rather than making every reader wait out the time limit (30 s by default) on a registry that
 * accepts connections and never answers. Any HTTP answer, even an error status, counts as
 * answered: the registry is there, and its answers are handled as before.
 */
const FAILURES_TO_DOUBT = 2;
// Registries by origin; bounded, since each upstream URL names one.
const MAX_ORIGINS = 1000;

export class RegistryHealth {
  private readonly failuresInARow = new Map<string, number>();

  /** Whether the registry serving `url` has failed to answer its last few requests. */
  inDoubt(url: string): boolean {
    return (this.failuresInARow.get(originOf(url)) ?? 0) >= FAILURES_TO_DOUBT;
  }

  failed(url: string): void {
    const origin = originOf(url);
    if (!this.failuresInARow.has(origin) && this.failuresInARow.size >= MAX_ORIGINS) this.failuresInARow.clear();
    this.failuresInARow.set(origin, (this.failuresInARow.get(origin) ?? 0) + 1);
  }

  answered(url: string): void {
    this.failuresInARow.delete(originOf(url));
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
