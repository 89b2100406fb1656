import { beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../../src/operations/domains.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { encodePackageName, publishBody, startHarness, type Harness } from './npm-registry-harness.js';

let registry: Harness;
let anonymous: Harness;
const badTokens: Record<string, () => Promise<string | null>> = {};

beforeAll(async () => {
  [registry, anonymous] = await Promise.all([startHarness(), startHarness({ allowAnonymousRead: true })]);
  for (const harness of [registry, anonymous]) expect((await harness.publish(buildNpmTarball({ name: 'guarded', version: '1.0.0' }))).status).toBe(201);
  badTokens['no token'] = () => Promise.resolve(null);
  badTokens['a wrong token'] = () => Promise.resolve(`acat_${'x'.repeat(43)}`);
  badTokens['an expired token'] = async () =>
    (await getAuthorizationToken(registry.store, { domain: 'acme', durationSeconds: 900, now: new Date(Date.now() - 3600_000) })).authorizationToken;
  badTokens["another domain's token"] = async () => {
    await createDomain(registry.store, { domain: 'other' }).catch(() => undefined);
    return (await getAuthorizationToken(registry.store, { domain: 'other' })).authorizationToken;
  };
});

// What npm prints for a 401: the refusal and what to run.
const NO_TOKEN = 'A token of domain acme is required. Run `artifact-cli login --domain acme ...` to configure your client.';
const NOT_VALID =
  'The token is not valid for domain acme, or it has expired. Get a new one with `artifact-cli login` or `artifact-cli get-authorization-token --domain acme`.';

describe('requests without a valid token of the domain', () => {
  it.each(['no token', 'a wrong token', 'an expired token', "another domain's token"])(
    'with %s: reads and writes get 401 and nothing is written',
    async (label) => {
      const token = await badTokens[label]();
      const before = registry.storedFiles();
      for (const pathname of ['guarded', 'guarded/-/guarded-1.0.0.tgz', '-/whoami']) {
        const response = await registry.request(pathname, { token });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
        expect((await response.json<{ error: string }>()).error).toBe(label === 'no token' ? NO_TOKEN : NOT_VALID);
      }
      const tarball = buildNpmTarball({ name: 'guarded', version: '2.0.0' });
      const publish = await registry.request(encodePackageName('guarded'), {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(publishBody(tarball, registry.registry)),
      });
      expect(publish.status).toBe(401);
      const tag = await registry.request('-/package/guarded/dist-tags/next', {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json' },
        body: '"1.0.0"',
      });
      expect(tag.status).toBe(401);
      expect(registry.storedFiles()).toEqual(before);
    },
  );

  it('accepts the token as the Basic password with any user name', async () => {
    const basic = Buffer.from(`anyone:${registry.token}`).toString('base64');
    const response = await registry.request('guarded', { token: null, headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(200);
  });
});

describe('anonymous read', () => {
  it('when allowed, lets reads through and still refuses writes', async () => {
    expect((await anonymous.request('guarded', { token: null })).status).toBe(200);
    expect((await anonymous.request('guarded/-/guarded-1.0.0.tgz', { token: null })).status).toBe(200);
    const whoami = await anonymous.request('-/whoami', { token: null });
    expect(whoami.status).toBe(401);
    const before = anonymous.storedFiles();
    const publish = await anonymous.request('guarded', {
      method: 'PUT',
      token: null,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(publishBody(buildNpmTarball({ name: 'guarded', version: '2.0.0' }), anonymous.registry)),
    });
    expect(publish.status).toBe(401);
    expect((await anonymous.request('guarded/-rev/1-0', { method: 'DELETE', token: null })).status).toBe(401);
    expect(anonymous.storedFiles()).toEqual(before);
  });

  it('when not allowed, refuses reads without a token', async () => {
    expect((await registry.request('guarded', { token: null })).status).toBe(401);
  });
});
