/**
 * Package groups of one domain as records, and what follows from them (docs/reference/package-groups.md):
 * each group's parent, the group a package is associated with (the most specific match, STRONG
 * before WEAK), each restriction's effective mode through INHERIT, and whether a version of a
 * package may enter a repository one way or another. No I/O: callers load the records.
 */
import type { Tag } from './model.js';
import {
  compareSpecificity,
  matchPattern,
  readStoredPattern,
  patternContains,
  ROOT_PATTERN,
  type AssociationType,
  type PackageCoordinates,
  type PackageGroupPattern,
} from './package-group-pattern.js';

export type OriginRestrictionType = 'PUBLISH' | 'EXTERNAL_UPSTREAM' | 'INTERNAL_UPSTREAM';
export const ORIGIN_RESTRICTION_TYPES: readonly OriginRestrictionType[] = ['PUBLISH', 'EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM'];
export type GroupRestrictionMode = 'ALLOW' | 'BLOCK' | 'ALLOW_SPECIFIC_REPOSITORIES' | 'INHERIT';
export const GROUP_RESTRICTION_MODES: readonly GroupRestrictionMode[] = ['ALLOW', 'BLOCK', 'ALLOW_SPECIFIC_REPOSITORIES', 'INHERIT'];

export interface PackageGroupRecord {
  pattern: string;
  createdTime: string;
  contactInfo?: string;
  description?: string;
  tags: Tag[];
  restrictions: Record<OriginRestrictionType, GroupRestrictionMode>;
  /** One list per restriction; used while that restriction is ALLOW_SPECIFIC_REPOSITORIES. */
  allowedRepositories: Record<OriginRestrictionType, string[]>;
}

/** The domain's package-groups.json. The root group is stored only once it is changed. */
export interface PackageGroupsFile {
  groups: PackageGroupRecord[];
}

export function newGroupRecord(pattern: string, createdTime: string): PackageGroupRecord {
  // The root allows every origin; other groups inherit until told otherwise.
  const mode: GroupRestrictionMode = pattern === ROOT_PATTERN ? 'ALLOW' : 'INHERIT';
  return {
    pattern,
    createdTime,
    tags: [],
    restrictions: { PUBLISH: mode, EXTERNAL_UPSTREAM: mode, INTERNAL_UPSTREAM: mode },
    allowedRepositories: { PUBLISH: [], EXTERNAL_UPSTREAM: [], INTERNAL_UPSTREAM: [] },
  };
}

export interface ResolvedGroup {
  record: PackageGroupRecord;
  pattern: PackageGroupPattern;
}

/** The restriction in force for a group: its own mode, or the first ancestor's that is not INHERIT. */
export interface EffectiveRestriction {
  mode: GroupRestrictionMode;
  effectiveMode: Exclude<GroupRestrictionMode, 'INHERIT'>;
  /** The group the effective mode (and its repository list) comes from. */
  source: ResolvedGroup;
  allowedRepositories: readonly string[];
}

/** All groups of a domain, the root always among them, with parents worked out once. */
export class PackageGroupSet {
  readonly groups: ResolvedGroup[];
  private readonly parents = new Map<string, ResolvedGroup | undefined>();

  constructor(file: PackageGroupsFile | undefined, rootCreatedTime: string) {
    const records = [...(file?.groups ?? [])];
    if (!records.some((record) => record.pattern === ROOT_PATTERN)) records.push(newGroupRecord(ROOT_PATTERN, rootCreatedTime));
    // Most specific first, so the first match found is the association.
    this.groups = records
      .map((record) => ({ record, pattern: readStoredPattern(record.pattern) }))
      .sort((a, b) => compareSpecificity(b.pattern, a.pattern) || (a.record.pattern < b.record.pattern ? -1 : 1));
  }

  /** True when the root is the only group and allows everything: nothing to enforce. */
  get allowsEverything(): boolean {
    return this.groups.length === 1 && ORIGIN_RESTRICTION_TYPES.every((type) => this.groups[0].record.restrictions[type] === 'ALLOW');
  }

  find(pattern: string): ResolvedGroup | undefined {
    return this.groups.find((group) => group.record.pattern === pattern);
  }

  /** The most specific other group that covers every package this one does. */
  parentOf(group: ResolvedGroup): ResolvedGroup | undefined {
    const key = group.record.pattern;
    if (!this.parents.has(key))
      this.parents.set(
        key,
        this.groups.find((other) => patternContains(other.pattern, group.pattern)),
      );
    return this.parents.get(key);
  }

  childrenOf(group: ResolvedGroup): ResolvedGroup[] {
    return this.groups.filter((other) => other !== group && this.parentOf(other) === group);
  }

  /** The group a package belongs to: the most specific match, a STRONG one before a WEAK one of equal rank. */
  associate(pkg: PackageCoordinates): { group: ResolvedGroup; associationType: AssociationType } {
    let weak: ResolvedGroup | undefined;
    for (const group of this.groups) {
      if (weak && compareSpecificity(group.pattern, weak.pattern) < 0) break;
      const match = matchPattern(group.pattern, pkg);
      if (match === 'STRONG') return { group, associationType: 'STRONG' };
      if (match === 'WEAK') weak ??= group;
    }
    if (weak) return { group: weak, associationType: 'WEAK' };
    // Unreachable while the root is present: it matches every package strongly.
    return { group: this.groups[this.groups.length - 1], associationType: 'STRONG' };
  }

  effective(group: ResolvedGroup, type: OriginRestrictionType): EffectiveRestriction {
    const mode = group.record.restrictions[type];
    let source: ResolvedGroup | undefined = group;
    while (source && source.record.restrictions[type] === 'INHERIT') source = this.parentOf(source);
    // A stored root of INHERIT cannot happen (updates refuse it); treat it as the default, ALLOW.
    const resolved = source ?? group;
    const effectiveMode = source ? (source.record.restrictions[type] as EffectiveRestriction['effectiveMode']) : 'ALLOW';
    return { mode, effectiveMode, source: resolved, allowedRepositories: resolved.record.allowedRepositories[type] };
  }
}

/** Why a version may not enter a repository, or undefined when the group allows it. */
export interface GroupRefusal {
  group: ResolvedGroup;
  associationType: AssociationType;
  type: OriginRestrictionType;
  restriction?: EffectiveRestriction;
}

/** Whether the package's group lets a version into `repository` by way of `type`. */
export function checkGroupEntry(groups: PackageGroupSet, pkg: PackageCoordinates, type: OriginRestrictionType, repository: string): GroupRefusal | undefined {
  if (groups.allowsEverything) return undefined;
  const { group, associationType } = groups.associate(pkg);
  // A variant of a group's pattern is the shape of typosquatting: nothing of it enters anywhere.
  if (associationType === 'WEAK') return { group, associationType, type };
  const restriction = groups.effective(group, type);
  if (restriction.effectiveMode === 'ALLOW') return undefined;
  if (restriction.effectiveMode === 'ALLOW_SPECIFIC_REPOSITORIES' && restriction.allowedRepositories.includes(repository)) return undefined;
  return { group, associationType, type, restriction };
}
