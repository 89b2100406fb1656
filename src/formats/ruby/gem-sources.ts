/**
 * Everything a request about one gem reads: the stored records along the upstream chain
 * (resolvePackage applies origin controls and package groups) and, unless that stops at a gem
 * published here, the public registry's info file through the chain's connection.
 */
import type { PackageKey } from '../../core/model.js';
import { UpstreamError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackage, type PackageSource } from '../../upstream/resolve.js';
import { loadExternalGem, type ExternalGemIndex } from './external-index.js';
import { buildGemView, type GemEntry } from './gem-view.js';

export interface GemSources {
  name: string;
  sources: PackageSource[];
  external?: ExternalGemIndex;
  /** The public registry was asked and failed: `external` is missing for that, not for want of the gem. */
  externalFailed?: boolean;
}

export function gemKey(context: RequestContext, name: string, repository = context.repository.name): PackageKey {
  return { domain: context.domain, repository, format: 'ruby', name };
}

export async function loadGemSources(context: RequestContext, name: string, storedOnly = false): Promise<GemSources> {
  const sources = await resolvePackage(context.deps.store, context.domain, context.repository, { format: 'ruby', name });
  const stored = { name, sources };
  return storedOnly ? stored : withExternal(context, stored);
}

export async function withExternal(context: RequestContext, stored: GemSources): Promise<GemSources> {
  const { store } = context.deps;
  const own = stored.sources.find((source) => source.repository === context.repository.name)?.record;
  if (own?.originConfiguration.restrictions.upstream === 'BLOCK') return stored;
  try {
    const external = await loadExternalGem(context, stored.name, (repository) => store.index.getPackage(gemKey(context, stored.name, repository.name)));
    return { ...stored, external };
  } catch (error) {
    // A registry outage must not hide what the chain stores: serve that, and say so in the log.
    if (!(error instanceof UpstreamError) || stored.sources.length === 0) throw error;
    context.deps.log(`warning: serving ${stored.name} without the public registry's versions: ${error.message}`);
    return { ...stored, externalFailed: true };
  }
}

export function entriesOf(loaded: GemSources): GemEntry[] {
  return buildGemView(loaded.sources, loaded.external?.gems);
}
