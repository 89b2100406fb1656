/**
 * get-associated-package-group and list-associated-packages: which group a package belongs to
 * (the most specific match; STRONG when it matches as written, WEAK when only a variant of it
 * does), and which stored packages of the domain belong to a group, or would if it existed
 * (--preview).
 */
import type { PackageFormat } from '../core/model.js';
import { newGroupRecord, PackageGroupSet } from '../core/package-group-origin.js';
import { parsePackageGroupPattern, type AssociationType } from '../core/package-group-pattern.js';
import type { NormalizedPackage } from '../core/package-names.js';
import type { Store } from '../store/store.js';
import { paginate, type PageRequest } from './pagination.js';
import { describeGroup, loadDomainGroups, requireGroup } from './package-groups-state.js';
import { FORMAT_RULES } from '../formats/registry.js';

export async function getAssociatedPackageGroup(store: Store, domain: string, pkg: NormalizedPackage) {
  const groups = await loadDomainGroups(store, domain);
  const { group, associationType } = groups.associate(pkg);
  return { packageGroup: describeGroup(groups, domain, group), associationType };
}

interface AssociatedPackage {
  format: PackageFormat;
  namespace?: string;
  package: string;
  associationType: AssociationType;
}

export async function listAssociatedPackages(store: Store, input: { domain: string; packageGroup: string; preview?: boolean } & PageRequest) {
  let groups = await loadDomainGroups(store, input.domain);
  const pattern = parsePackageGroupPattern(input.packageGroup, FORMAT_RULES).text;
  if (input.preview && !groups.find(pattern)) {
    // As if the group were created now: the packages it would take from its future parent.
    const records = groups.groups.map((group) => group.record);
    groups = new PackageGroupSet({ groups: [...records, newGroupRecord(pattern, new Date().toISOString())] }, new Date().toISOString());
  }
  const group = requireGroup(groups, input.domain, pattern);
  const found = new Map<string, AssociatedPackage>();
  for (const repository of await store.index.listRepositories(input.domain)) {
    for (const ref of await store.index.listPackages(input.domain, repository)) {
      const key = JSON.stringify([ref.format, ref.namespace ?? '', ref.name]);
      if (found.has(key)) continue;
      const association = groups.associate(ref);
      if (association.group !== group) continue;
      found.set(key, { format: ref.format, namespace: ref.namespace, package: ref.name, associationType: association.associationType });
    }
  }
  const sorted = [...found].sort(([a], [b]) => (a < b ? -1 : 1));
  const page = paginate(sorted, ([key]) => key, input);
  return { packages: page.items.map(([, entry]) => entry), nextToken: page.nextToken };
}
