/**
 * A repository or domain deleted while writes into it are landing: a write that had already
 * found it lands after the directory has gone, and so makes the directory again, without the
 * record. Such leftovers must neither show as a repository nor keep the name from being used
 * again, and a repository or domain made anew under that name starts empty: no package, and
 * above all no token of the old domain.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDomain, deleteDomain } from '../../src/operations/domains.js';
import { createRepository, deleteRepository, listRepositories } from '../../src/operations/repositories.js';
import { getAuthorizationToken, verifyToken } from '../../src/operations/tokens.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
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

describe('a domain deleted while tokens for it are issued', () => {
  it('gives a domain made anew under the name none of those tokens', async () => {
    const root = makeTempDir('artifact-cli-domain-race-');
    const store = openStore(root);
    await createDomain(store, { domain: 'acme' });
    const issues = Array.from({ length: 20 }, () =>
      getAuthorizationToken(store, { domain: 'acme' }).then(
        (answer) => answer.authorizationToken,
        () => undefined,
      ),
    );
    // Each has found the domain and waits its turn to write the tokens file.
    await new Promise((resolve) => setImmediate(resolve));
    await deleteDomain(store, 'acme');
    const tokens = (await Promise.all(issues)).filter((token): token is string => token !== undefined);
    // Some were written after the delete, which is what this is about: the file is back.
    expect(existsSync(path.join(root, 'domains', 'acme', 'tokens.json'))).toBe(true);
    expect(tokens.length).toBeGreaterThan(0);
    expect(await store.index.listDomains()).toEqual([]);

    await createDomain(store, { domain: 'acme' });
    for (const token of tokens) expect(await verifyToken(store, 'acme', token)).toBeUndefined();
    expect((await store.index.getTokens('acme')).tokens).toEqual([]);
  });
});
