/**
 * Rendered NuGet documents kept in memory, keyed by the identity of what they were built from:
 * the package records along the chain and the cached upstream documents. The stores hand out the
 * same frozen objects until a file changes, so a push, status change or upstream refresh yields
 * new objects and the old entry is simply never found again (and is collected with them).
 */
import { RenderedBody } from '../../server/respond.js';

interface Entry {
  parts: readonly object[];
  body: RenderedBody;
}

// Variants per first part: document kinds times the Host names clients use. The cap keeps a
// client that invents Host headers from growing memory.
const MAX_VARIANTS = 16;

const cache = new WeakMap<object, Map<string, Entry>>();

/** The rendered JSON of `render()`, reused while `parts` are the very same objects. */
export function renderCachedJson(parts: readonly object[], variant: string, render: () => unknown): RenderedBody {
  // Unfrozen parts may be fresh objects on every request; caching them would only fill memory.
  const cacheable = parts.length > 0 && parts.every((part) => Object.isFrozen(part));
  const variants = cacheable ? cache.get(parts[0]) : undefined;
  const hit = variants?.get(variant);
  if (hit && hit.parts.length === parts.length && hit.parts.every((part, index) => part === parts[index])) return hit.body;

  const body = RenderedBody.json(render());
  if (cacheable) {
    const map = variants ?? new Map<string, Entry>();
    if (!map.has(variant) && map.size >= MAX_VARIANTS) map.delete(map.keys().next().value as string);
    map.set(variant, { parts: [...parts], body });
    if (!variants) cache.set(parts[0], map);
  }
  return body;
}
