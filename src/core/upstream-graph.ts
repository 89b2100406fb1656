/** Pure checks and walks over the upstream graph of one domain. */
import { ValidationError } from '../errors.js';

export const MAX_DIRECT_UPSTREAMS = 10;
export const MAX_SEARCHED_REPOSITORIES = 25;

export type UpstreamLookup = (repository: string) => readonly string[];

/**
 * Finds a cycle that giving `repository` the upstream list `upstreams` would create.
 * Returns the loop as a list of names (first == last), or undefined when there is none.
 */
export function findUpstreamCycle(repository: string, upstreams: readonly string[], lookup: UpstreamLookup): string[] | undefined {
  const edges = (name: string) => (name === repository ? upstreams : lookup(name));
  const path: string[] = [repository];
  const onPath = new Set<string>([repository]);
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    for (const next of edges(name)) {
      if (onPath.has(next)) return [...path.slice(path.indexOf(next)), next];
      if (done.has(next)) continue;
      path.push(next);
      onPath.add(next);
      const found = visit(next);
      if (found) return found;
      path.pop();
      onPath.delete(next);
      done.add(next);
    }
    return undefined;
  };
  return visit(repository);
}

export function checkUpstreamList(repository: string, upstreams: readonly string[], lookup: UpstreamLookup): void {
  if (upstreams.length > MAX_DIRECT_UPSTREAMS) {
    throw new ValidationError(`A repository can have at most ${MAX_DIRECT_UPSTREAMS} upstream repositories; ${upstreams.length} were given.`);
  }
  const seen = new Set<string>();
  for (const name of upstreams) {
    if (name === repository) throw new ValidationError(`Repository ${repository} cannot be its own upstream.`);
    if (seen.has(name)) throw new ValidationError(`Upstream ${name} is listed twice.`);
    seen.add(name);
  }
  const cycle = findUpstreamCycle(repository, upstreams, lookup);
  if (cycle) {
    throw new ValidationError(`These upstreams would make a loop: ${cycle.join(' -> ')}.`, {
      hint: 'Remove one of the repositories from the loop.',
    });
  }
}

/**
 * The search order of CodeArtifact: the repository, then its upstreams depth first in list
 * order, each repository once, at most 25 in all.
 */
export function searchOrder(repository: string, lookup: UpstreamLookup): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || order.length >= MAX_SEARCHED_REPOSITORIES) return;
    seen.add(name);
    order.push(name);
    for (const next of lookup(name)) visit(next);
  };
  visit(repository);
  return order;
}
