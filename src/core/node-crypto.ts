/**
 * node:crypto, loaded on first use. The store needs it only to write (temp-file names, digests)
 * and names.ts only to hash a rare over-long name; loading it costs a read-only command such as
 * `list-domains` about 5 ms of start-up.
 */
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

const loadBuiltin = createRequire(import.meta.url);
let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  return (loaded ??= loadBuiltin('node:crypto') as NodeCrypto);
}

/** `bytes` random bytes as hex, for names that must not collide with another writer's. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
