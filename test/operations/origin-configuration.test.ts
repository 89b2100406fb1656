/** put-package-origin-configuration's parts in process: reading --restrictions, and what the put returns. */
import { describe, expect, it } from 'vitest';
import { createDomain } from '../../src/operations/domains.js';
import { parseRestrictions, putPackageOriginConfiguration } from '../../src/operations/origin-configuration.js';
import { createRepository } from '../../src/operations/repositories.js';
import { openStore } from '../../src/store/store.js';
import { AccessDeniedError, ValidationError } from '../../src/errors.js';
import { checkPublishAllowed, emptyPackage } from '../../src/operations/publish.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('parseRestrictions', () => {
  it('reads both settings in any order, with spaces around', () => {
    expect(parseRestrictions('publish=ALLOW,upstream=BLOCK')).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
    expect(parseRestrictions(' upstream = ALLOW , publish = BLOCK ')).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });

  it.each([
    ['publish=ALLOW', '--restrictions needs upstream=ALLOW or upstream=BLOCK; both publish and upstream must be set together.'],
    ['upstream=BLOCK', '--restrictions needs publish=ALLOW or publish=BLOCK; both publish and upstream must be set together.'],
    ['publish=MAYBE,upstream=ALLOW', '--restrictions needs publish=ALLOW or publish=BLOCK; both publish and upstream must be set together.'],
    ['publish=allow,upstream=ALLOW', '--restrictions needs publish=ALLOW or publish=BLOCK; both publish and upstream must be set together.'],
    ['publish=ALLOW,upstream=ALLOW,extra=1,more=2', '--restrictions has unknown keys: extra, more.'],
    ['publish', '--restrictions takes publish=ALLOW|BLOCK,upstream=ALLOW|BLOCK.'],
    ['=ALLOW,upstream=ALLOW', '--restrictions takes publish=ALLOW|BLOCK,upstream=ALLOW|BLOCK.'],
    ['publish=,upstream=ALLOW', '--restrictions takes publish=ALLOW|BLOCK,upstream=ALLOW|BLOCK.'],
    ['', '--restrictions takes publish=ALLOW|BLOCK,upstream=ALLOW|BLOCK.'],
  ])('refuses %j', (text, message) => {
    expect(() => parseRestrictions(text)).toThrow(ValidationError);
    expect(() => parseRestrictions(text)).toThrow(message);
  });
});

describe('putPackageOriginConfiguration', () => {
  it('returns the restrictions now in force, for a package that does not exist yet and for one that does', async () => {
    const store = openStore(makeTempDir('artifact-cli-origin-'));
    await createDomain(store, { domain: 'acme' });
    await createRepository(store, { domain: 'acme', repository: 'main' });
    const key = { domain: 'acme', repository: 'main', format: 'npm', namespace: 'scope', name: 'lib' } as const;
    expect(await putPackageOriginConfiguration(store, key, { publish: 'BLOCK', upstream: 'ALLOW' })).toEqual({
      originConfiguration: { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } },
    });
    expect(await putPackageOriginConfiguration(store, key, { publish: 'ALLOW', upstream: 'BLOCK' })).toEqual({
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    });
    expect((await store.index.getPackage(key))?.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
  });

  it('refuses a bad package name or namespace before writing anything', async () => {
    const store = openStore(makeTempDir('artifact-cli-origin-'));
    await createDomain(store, { domain: 'acme' });
    await createRepository(store, { domain: 'acme', repository: 'main' });
    await expect(
      putPackageOriginConfiguration(store, { domain: 'acme', repository: 'main', format: 'npm', name: '../x' }, { publish: 'ALLOW', upstream: 'ALLOW' }),
    ).rejects.toThrow(/package/);
    await expect(
      putPackageOriginConfiguration(
        store,
        { domain: 'acme', repository: 'main', format: 'npm', namespace: '../x', name: 'x' },
        { publish: 'ALLOW', upstream: 'ALLOW' },
      ),
    ).rejects.toThrow(/namespace/);
  });
});

describe('checkPublishAllowed', () => {
  const key = { domain: 'acme', repository: 'main', format: 'npm', namespace: 'scope', name: 'lib' } as const;

  it('lets a publish through unless the package says publish=BLOCK, and then says how to allow it', () => {
    expect(() => checkPublishAllowed(key, undefined)).not.toThrow();
    expect(() => checkPublishAllowed(key, emptyPackage(key, { publish: 'ALLOW', upstream: 'BLOCK' }))).not.toThrow();
    let refused: unknown;
    try {
      checkPublishAllowed(key, emptyPackage(key, { publish: 'BLOCK', upstream: 'ALLOW' }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AccessDeniedError);
    expect(refused).toMatchObject({
      message: "Publishing @scope/lib into main is blocked by the package's origin controls (publish=BLOCK).",
      hint: 'If this is intended, allow it with `artifact-cli put-package-origin-configuration --domain acme --repository main --format npm --namespace scope --package lib --restrictions publish=ALLOW,upstream=BLOCK`.',
      resourceType: 'package',
      resourceId: '@scope/lib',
    });
  });
});
