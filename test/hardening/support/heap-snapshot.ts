/**
 * The live JavaScript heap of a server process, measured the only way that works from outside:
 * the server runs with --heapsnapshot-signal, SIGUSR2 makes it write a heap snapshot (after a
 * full garbage collection), and the sizes of the objects in it are summed. RSS alone cannot tell
 * a leak from memory that was freed but not yet handed back to the system.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface HeapProbe {
  /** The environment that makes a node process write snapshots into this probe's folder. */
  env: NodeJS.ProcessEnv;
  /** Signals the process and resolves to its live heap in bytes. */
  liveHeapBytes(pid: number): Promise<number>;
}

export function createHeapProbe(): HeapProbe {
  const dir = makeTempDir('artifact-cli-heap-');
  return {
    env: { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}` },
    async liveHeapBytes(pid) {
      const before = new Set(await fs.readdir(dir));
      process.kill(pid, 'SIGUSR2');
      let file: string | undefined;
      for (let waited = 0; !file && waited < 60_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        file = (await fs.readdir(dir)).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
      }
      if (!file) throw new Error('the server wrote no heap snapshot within 60 s');
      const full = path.join(dir, file);
      // The snapshot is written in pieces; it is complete once it parses.
      for (let attempt = 0; ; attempt++) {
        try {
          const snapshot = JSON.parse(await fs.readFile(full, 'utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
          // HARDENING_KEEP_HEAP_SNAPSHOTS=<dir> keeps each snapshot there, to compare what grew.
          const keep = process.env.HARDENING_KEEP_HEAP_SNAPSHOTS;
          if (keep) await fs.copyFile(full, path.join(keep, `${Date.now()}-${pid}.heapsnapshot`));
          await fs.rm(full, { force: true });
          return sumSelfSizes(snapshot);
        } catch (error) {
          if (attempt >= 120) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
  };
}

function sumSelfSizes(snapshot: { snapshot: { meta: { node_fields: string[] } }; nodes: number[] }): number {
  const fields = snapshot.snapshot.meta.node_fields;
  const offset = fields.indexOf('self_size');
  let total = 0;
  for (let index = offset; index < snapshot.nodes.length; index += fields.length) total += snapshot.nodes[index];
  return total;
}
