/** put-package-origin-configuration: per package, per repository; works before a package exists. */
import type { OriginRestrictions, PackageKey, Restriction } from '../core/model.js';
import { validatePackagePart } from '../core/names.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { emptyPackage } from './publish.js';
import { requireRepository } from './repositories.js';

export function parseRestrictions(text: string): OriginRestrictions {
  const values: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=').map((piece) => piece?.trim());
    if (!name || !value) throw new ValidationError('--restrictions takes publish=ALLOW|BLOCK,upstream=ALLOW|BLOCK.');
    values[name] = value;
  }
  return checkRestrictions(values);
}

/** The structure form, `{"publish": "ALLOW", "upstream": "BLOCK"}`, as the API and JSON carry it. */
export function checkRestrictions(values: Record<string, unknown>): OriginRestrictions {
  const check = (name: 'publish' | 'upstream'): Restriction => {
    const value = values[name];
    if (value !== 'ALLOW' && value !== 'BLOCK') {
      throw new ValidationError(`--restrictions needs ${name}=ALLOW or ${name}=BLOCK; both publish and upstream must be set together.`);
    }
    return value;
  };
  const unknown = Object.keys(values).filter((name) => name !== 'publish' && name !== 'upstream');
  if (unknown.length) throw new ValidationError(`--restrictions has unknown keys: ${unknown.join(', ')}.`);
  return { publish: check('publish'), upstream: check('upstream') };
}

export async function putPackageOriginConfiguration(store: Store, key: PackageKey, restrictions: OriginRestrictions) {
  await requireRepository(store, key.domain, key.repository);
  validatePackagePart('package', key.name);
  if (key.namespace !== undefined) validatePackagePart('namespace', key.namespace);
  const updated = await store.index.updatePackage(key, (current) => {
    const next = current ? structuredClone(current) : emptyPackage(key, restrictions);
    next.originConfiguration = { restrictions };
    return next;
  });
  return { originConfiguration: { restrictions: { ...updated!.originConfiguration.restrictions } } };
}
