/**
 * The /versions lines of the public registry's gems that the chain does not store
 * (docs/formats/ruby.md, "Gems of the public registry in versions"). A gem whose package group
 * keeps its public versions out of this repository is left out, as /info would refuse it. Its
 * md5 is that of the /info body this server last built for the gem when one is in memory, and
 * the registry's own otherwise: Bundler, never having seen the gem here, fetches /info for it
 * either way, and after that asks with If-None-Match, which this server answers from its body.
 */
import { UpstreamError } from '../../errors.js';
import { loadGroupGates } from '../../operations/package-groups-enforcement.js';
import type { RequestContext } from '../../server/route.js';
import { Slicer } from '../../upstream/slices.js';
import { loadExternalVersions, type ExternalVersions } from './external-versions.js';
import { cachedInfoMd5, infoCacheGeneration } from './info-cache.js';

export interface PublicGemLines {
  names: string[];
  /** `name versions md5`, as /versions writes them. */
  lines: string[];
}

interface Built {
  document: object;
  groups: object;
  stored: ReadonlySet<string>;
  generation: number;
  result: PublicGemLines;
}

// The public list runs to a few hundred thousand gems: built once per repository until what it
// depends on changes (a new registry file, package groups, the gems stored, an /info built).
const built = new Map<string, Built>();

export async function publicGemLines(context: RequestContext, stored: ReadonlySet<string>): Promise<PublicGemLines | undefined> {
  let external: ExternalVersions | undefined;
  try {
    external = await loadExternalVersions(context);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.deps.log(`warning: listing only the gems stored along the chain: ${error.message}`);
    return undefined;
  }
  if (!external) return undefined;
  const { groups, gateOf } = await loadGroupGates(context.deps.store, context.domain);
  const key = `${context.domain}/${context.repository.name}`;
  const generation = infoCacheGeneration();
  const previous = built.get(key);
  if (
    previous &&
    previous.document === external.document &&
    previous.groups === groups &&
    previous.generation === generation &&
    sameSet(previous.stored, stored)
  )
    return previous.result;

  const connection = external.source.repository.name;
  const asked = context.repository.name;
  const result: PublicGemLines = { names: [], lines: [] };
  const slicer = new Slicer();
  for (const [name, versions, md5] of external.document.gems) {
    if (slicer.due()) await slicer.turn();
    if (stored.has(name)) continue;
    const gate = gateOf({ format: 'ruby', name });
    if (!gate.allows('EXTERNAL_UPSTREAM', connection)) continue;
    if (connection !== asked && !gate.allows('INTERNAL_UPSTREAM', asked)) continue;
    result.names.push(name);
    result.lines.push(`${name} ${versions} ${cachedInfoMd5(`${key}/${name}`) ?? md5}`);
  }
  built.set(key, { document: external.document, groups, stored, generation, result });
  return result;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  // The kept list hands out the same set while no stored gem changed.
  return a === b || (a.size === b.size && [...a].every((item) => b.has(item)));
}
