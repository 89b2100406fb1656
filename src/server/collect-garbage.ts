/**
 * A full garbage collection on demand, for the moment a large request body has been dropped:
 * V8 collects large strings and the buffers it does not own at its own pace, which let the
 * garbage of a few dozen large bodies grow the RSS by several times what the body budget holds.
 * See docs/request-bodies.md.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

export function collectGarbage(): void {
  if (!collect) {
    // The flag only adds `gc` to contexts made after it; the server's own global stays as it was.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
