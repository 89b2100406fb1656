/**
 * A repository deleted while publishes into it are landing: a publish that had already found
 * the repository writes its index after the directory has gone, and so makes the directory
 * again, without the repository's own record. Such leftovers must neither show as a repository
 * nor keep the name from being used again, and a repository made anew under that name starts
 * empty.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteDomain } from '../../src/operations/domains.js';
import { createRepository, deleteRepository, listRepositories } from '../../src/operations/repositories.js';
import type { Store } from '../../src/store/store.js';
import { DOMAIN, makePackageStore, publishGeneric } from './packages-fixture.js';

/** Deletes "other" while 20 publishes into it are under way; resolves once all have ended. */
async function deleteWhilePublishing(store: Store): Promise<string[]> {
  const publishes = Array.from({ length: 20 }, (_, index) =>
    publishGeneric(store, { repository: 'other', version: `1.0.${index}` }).then(
      () => 'published',
      (error: Error) => error.name,
    ),
  );
  // Each publish has looked the repository up and is storing its bytes.
  await new Promise((resolve) => setImmediate(resolve));
  await deleteRepository(store, DOMAIN, 'other');
  return Promise.all(publishes);
}

describe('a repository deleted while publishes into it land', () => {
  it('leaves no repository behind, and the name can be made anew, empty', async () => {
    const { root, store } = await makePackageStore();
    expect(await deleteWhilePublishing(store)).toContain('published');
    // Some landed after the delete, which is what this is about: their directories are back.
    expect(existsSync(path.join(root, 'domains', DOMAIN, 'repositories', 'other'))).toBe(true);

    const { repositories } = await listRepositories(store, { domain: DOMAIN });
    expect(repositories.map((repository) => repository.name)).toEqual(['main', 'shared']);
    expect(await store.index.listRepositories(DOMAIN)).toEqual(['main', 'shared']);
    await createRepository(store, { domain: DOMAIN, repository: 'other' });
    expect(await store.index.listPackages(DOMAIN, 'other')).toEqual([]);
  });

  it('does not keep the domain from being deleted once its last repository is', async () => {
    const { store } = await makePackageStore();
    await deleteWhilePublishing(store);
    await deleteRepository(store, DOMAIN, 'main');
    await deleteRepository(store, DOMAIN, 'shared');
    await deleteDomain(store, DOMAIN);
    expect(await store.index.listDomains()).toEqual([]);
  });
});
