/**
 * The server's door, function by function: where a request's token is found (every form the
 * clients send) and how the permissions policies decide, with the refusal that explains itself.
 * The same checks run end to end in policy.test.ts and formats/npm/auth.test.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { StoredPolicy } from '../../src/core/permissions-policy.js';
import type { RepositoryAction } from '../../src/core/policy-actions.js';
import { AccessDeniedError } from '../../src/errors.js';
import { extractToken, hasApiKeyHeader } from '../../src/server/auth.js';
import { actionOf, authorizeRequest, reasonPhraseOf } from '../../src/server/policy.js';
import type { Route, ServerDeps } from '../../src/server/route.js';
import { getAuthorizationToken, verifyToken } from '../../src/operations/tokens.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createDomain } from '../../src/operations/domains.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TOKEN = 'acat_0123456789abcdefghij';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('extractToken', () => {
  it.each<[string, IncomingHttpHeaders, string | undefined]>([
    ['Bearer', { authorization: `Bearer ${TOKEN}` }, TOKEN],
    ['bearer in any case, with spaces around', { authorization: `  bEaReR   ${TOKEN}  ` }, TOKEN],
    ['token (Cargo, some CI tools)', { authorization: `token ${TOKEN}` }, TOKEN],
    ['Basic with a user name', { authorization: basic(`aws:${TOKEN}`) }, TOKEN],
    ['Basic whose password holds a colon', { authorization: basic(`aws:${TOKEN}:x`) }, `${TOKEN}:x`],
    ['Basic with an empty user name', { authorization: basic(`:${TOKEN}`) }, TOKEN],
    ['Basic without a colon (the token alone)', { authorization: basic(TOKEN) }, TOKEN],
    ['the bare token in Authorization', { authorization: TOKEN }, TOKEN],
    ['the bare token with spaces around', { authorization: `  ${TOKEN}  ` }, TOKEN],
    ['an unknown scheme', { authorization: `Digest ${TOKEN}` }, undefined],
    ['an empty Authorization', { authorization: '   ' }, undefined],
    ['the NuGet API key', { 'x-nuget-apikey': ` ${TOKEN} ` }, TOKEN],
    ['an empty NuGet API key', { 'x-nuget-apikey': '' }, undefined],
    ['Authorization before the API key', { authorization: `Bearer ${TOKEN}`, 'x-nuget-apikey': 'acat_other' }, TOKEN],
    ['the API key when Authorization has an unknown scheme', { authorization: 'Digest x', 'x-nuget-apikey': TOKEN }, TOKEN],
    ['nothing', {}, undefined],
  ])('%s', (_label, headers, expected) => {
    expect(extractToken(headers)).toBe(expected);
  });

  it('ignores an API key header that came as a list', () => {
    expect(extractToken({ 'x-nuget-apikey': [TOKEN, TOKEN] })).toBeUndefined();
  });
});

describe('hasApiKeyHeader', () => {
  it('is true exactly when the NuGet API key header is there, even empty', () => {
    expect(hasApiKeyHeader({ 'x-nuget-apikey': TOKEN })).toBe(true);
    expect(hasApiKeyHeader({ 'x-nuget-apikey': '' })).toBe(true);
    expect(hasApiKeyHeader({ authorization: `Bearer ${TOKEN}` })).toBe(false);
    expect(hasApiKeyHeader({})).toBe(false);
  });
});

const READ: RepositoryAction = 'codeartifact:ReadFromRepository';
const PUBLISH: RepositoryAction = 'codeartifact:PublishPackageVersion';

function stored(...statements: object[]): StoredPolicy {
  return Object.freeze({ resourceArn: 'arn', revision: 'r1', document: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
}

/** A store with these policies on domain acme and its repository main. */
function door(policies: { domain?: StoredPolicy; repository?: StoredPolicy }) {
  const deps = {
    store: {
      index: {
        getPermissionsPolicy: (domain: string, repository?: string) =>
          Promise.resolve(domain !== 'acme' ? undefined : repository === undefined ? policies.domain : repository === 'main' ? policies.repository : undefined),
      },
    },
  } as unknown as Pick<ServerDeps, 'store'>;
  return (principal: string | undefined, action: RepositoryAction, repository = 'main') =>
    authorizeRequest(deps, { domain: 'acme', repository, principal, action });
}

async function refusal(check: Promise<void>): Promise<AccessDeniedError> {
  const error = await check.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AccessDeniedError);
  return error as AccessDeniedError;
}

describe('authorizeRequest', () => {
  it('lets every principal do everything when neither the domain nor the repository has a policy', async () => {
    const check = door({});
    await expect(check('anyone', PUBLISH)).resolves.toBeUndefined();
    await expect(check(undefined, READ)).resolves.toBeUndefined();
  });

  it('applies the domain policy alone, naming it when nothing allows the action', async () => {
    const check = door({ domain: stored({ Effect: 'Allow', Principal: { AWS: 'reader' }, Action: READ, Resource: '*' }) });
    await expect(check('reader', READ)).resolves.toBeUndefined();
    const refused = await refusal(check('reader', PUBLISH));
    expect(refused.message).toBe(
      `reader may not perform ${PUBLISH} on repository main of domain acme: no statement of the domain acme's permissions policy allows it.`,
    );
    expect(refused.hint).toBe(
      'Once a permissions policy exists, only what it allows is allowed; an administrator can add an Allow for reader with put-*-permissions-policy.',
    );
    expect((await refusal(check(undefined, READ))).message).toMatch(/^anonymous may not perform/);
  });

  it('applies the repository policy alone, and names both when neither allows', async () => {
    const allowReader = { Effect: 'Allow', Principal: { AWS: 'reader' }, Action: READ, Resource: '*' };
    await expect(door({ repository: stored(allowReader) })('reader', READ)).resolves.toBeUndefined();
    const both = door({ domain: stored(allowReader), repository: stored(allowReader) });
    expect((await refusal(both('writer', PUBLISH))).message).toMatch(
      /: no statement of the domain acme's or the repository main's permissions policy allows it\.$/,
    );
  });

  it("matches the repository's packages as one resource", async () => {
    const check = door({
      domain: stored({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:codeartifact:local:000000000000:package/acme/main/*' }),
    });
    await expect(check('reader', READ)).resolves.toBeUndefined();
    await expect(check('reader', READ, 'other')).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('lets a Deny win, naming the statement, or saying "a statement" when it has no Sid', async () => {
    const allowAll = { Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' };
    const named = await refusal(
      door({ domain: stored(allowAll), repository: stored({ Sid: 'no-writes', Effect: 'Deny', Principal: '*', Action: PUBLISH, Resource: '*' }) })(
        'alice',
        PUBLISH,
      ),
    );
    expect(named.message).toBe(
      `alice may not perform ${PUBLISH} on repository main of domain acme: statement "no-writes" of the repository main's permissions policy denies it.`,
    );
    expect(named.hint).toBe('An explicit Deny wins over every Allow; ask an administrator to change the policy.');
    const unnamed = await refusal(door({ domain: stored(allowAll, { Effect: 'Deny', Principal: '*', Action: PUBLISH, Resource: '*' }) })('alice', PUBLISH));
    expect(unnamed.message).toMatch(/: a statement of the domain acme's permissions policy denies it\.$/);
  });

  it('refuses everything a stored policy governs once it no longer parses, and says which one', async () => {
    const broken = Object.freeze({ resourceArn: 'arn', revision: 'r1', document: '{"Statement": [' });
    for (const [policies, name] of [
      [{ domain: broken }, "domain acme's"],
      [{ repository: broken }, "repository main's"],
    ] as const) {
      const refused = await refusal(door(policies)('alice', READ));
      expect(refused.message).toBe(`The ${name} permissions policy cannot be read, so nothing it governs is allowed.`);
      expect(refused.hint).toBe('Replace it with put-*-permissions-policy, or remove it with delete-*-permissions-policy.');
      expect(refused.cause).toBeInstanceOf(Error);
    }
  });
});

describe('reasonPhraseOf', () => {
  it('keeps one line of visible ASCII', () => {
    expect(reasonPhraseOf('  café\r\nnext\tline  ')).toBe('caf next line');
  });

  it('cuts a long message to 300 characters ending in "..."', () => {
    const phrase = reasonPhraseOf('x'.repeat(301));
    expect(phrase).toBe(`${'x'.repeat(297)}...`);
    expect(reasonPhraseOf('y'.repeat(300))).toBe('y'.repeat(300));
  });
});

describe('actionOf', () => {
  const match = /x/.exec('x')!;
  it("asks a route's action function, else takes its action, else the default for its access", () => {
    expect(actionOf({ access: 'write', action: () => 'codeartifact:DeletePackageVersions' } as unknown as Route, match)).toBe(
      'codeartifact:DeletePackageVersions',
    );
    expect(actionOf({ access: 'write', action: 'codeartifact:PutPackageMetadata' } as unknown as Route, match)).toBe('codeartifact:PutPackageMetadata');
    expect(actionOf({ access: 'read' } as unknown as Route, match)).toBe(READ);
    expect(actionOf({ access: 'write' } as unknown as Route, match)).toBe(PUBLISH);
  });
});

describe('stored documents changed in place', () => {
  // The index store freezes what it hands out and hands out a new object for a changed file;
  // an object that is not frozen may change under us, so nothing worked out from it is kept.
  it('a policy document that is not frozen is read again on every check', async () => {
    const policy = {
      resourceArn: 'arn',
      revision: 'r1',
      document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: READ, Resource: '*' }] }),
    };
    const deps = {
      store: { index: { getPermissionsPolicy: (domain: string, repository?: string) => Promise.resolve(repository === undefined ? policy : undefined) } },
    } as unknown as Pick<ServerDeps, 'store'>;
    const check = () => authorizeRequest(deps, { domain: 'acme', repository: 'main', principal: 'alice', action: READ });
    await expect(check()).resolves.toBeUndefined();
    policy.document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: READ, Resource: '*' }] });
    await expect(check()).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('a token removed from a tokens file that is not frozen is refused at once', async () => {
    const real = openStore(makeTempDir('artifact-cli-door-'));
    await createDomain(real, { domain: 'acme' });
    const { authorizationToken } = await getAuthorizationToken(real, { domain: 'acme', principal: 'alice' });
    const file = structuredClone(await real.index.getTokens('acme'));
    const store = { index: { getTokens: () => Promise.resolve(file) } } as unknown as Store;
    await expect(verifyToken(store, 'acme', authorizationToken)).resolves.toMatchObject({ principal: 'alice' });
    file.tokens.length = 0;
    await expect(verifyToken(store, 'acme', authorizationToken)).resolves.toBeUndefined();
  });
});
