/**
 * Everything a request about one project reads: the stored records along the upstream chain
 * (resolvePackage applies the asked repository's origin controls) and, unless that stops at a
 * package published here, the public index's page through the chain's PyPI connection.
 */
import type { PackageKey } from '../../core/model.js';
import { UpstreamError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackage, type PackageSource } from '../../upstream/resolve.js';
import { loadExternalProject, type ExternalProject } from './external-index.js';
import { buildProjectView, type ProjectView } from './project-view.js';

export interface ProjectSources {
  project: string;
  sources: PackageSource[];
  external?: ExternalProject;
}

export function packageKey(context: RequestContext, project: string, repository = context.repository.name): PackageKey {
  return { domain: context.domain, repository, format: 'pypi', name: project };
}

/** The stored records along the chain and, unless `storedOnly`, the public index's page. */
export async function loadProjectSources(context: RequestContext, project: string, storedOnly = false): Promise<ProjectSources> {
  const sources = await resolvePackage(context.deps.store, context.domain, context.repository, { format: 'pypi', name: project });
  const stored = { project, sources };
  return storedOnly ? stored : withExternal(context, stored);
}

/** Adds the public index's page to what the chain stores. */
export async function withExternal(context: RequestContext, stored: ProjectSources): Promise<ProjectSources> {
  const { store } = context.deps;
  const { project, sources } = stored;
  const own = sources.find((source) => source.repository === context.repository.name)?.record;
  if (own?.originConfiguration.restrictions.upstream === 'BLOCK') return stored;
  try {
    const external = await loadExternalProject(context, project, (repository) => store.index.getPackage(packageKey(context, project, repository.name)));
    return { project, sources, external };
  } catch (error) {
    // An index outage must not hide what the chain stores: serve that, and say so in the log.
    if (!(error instanceof UpstreamError) || sources.length === 0) throw error;
    context.deps.log(`warning: serving ${project} without the public index's files: ${error.message}`);
    return stored;
  }
}

export function viewOf(loaded: ProjectSources): ProjectView {
  return buildProjectView(loaded.project, loaded.sources, loaded.external?.files);
}
