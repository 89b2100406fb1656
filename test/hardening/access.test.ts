/**
 * Access: every route of every format refuses a request without a valid token of its domain (no
 * token, an expired one, another domain's, a made-up one, in each way clients send them), with
 * 401 and a challenge, also on a server that allows anonymous reads (bad tokens are refused, not
 * read as anonymous; writes still need a token). Tokens never show up in answers, in the server's
 * output or in any file under the root; the tokens file holds hashes only and is mode 0600.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { recordFigures } from './support/figures.js';
import { DOMAIN, prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { ROUTE_PROBES, uncoveredRoutes, type RouteProbe } from './support/route-table.js';

interface Credential {
  label: string;
  headers: Record<string, string>;
}

let prepared: PreparedRoot;
let expired: string;
let foreign: string;
const madeUp = `acat_${'x'.repeat(43)}`;
const seenTexts: string[] = [];

beforeAll(async () => {
  prepared = await prepareRoot();
  expired = (await getAuthorizationToken(prepared.store, { domain: DOMAIN, durationSeconds: 900, now: new Date(Date.now() - 3_600_000) })).authorizationToken;
  await createDomain(prepared.store, { domain: 'other' });
  await createRepository(prepared.store, { domain: 'other', repository: 'main' });
  foreign = (await getAuthorizationToken(prepared.store, { domain: 'other' })).authorizationToken;
});

const basic = (secret: string) => `Basic ${Buffer.from(`aws:${secret}`).toString('base64')}`;

function badCredentials(): Credential[] {
  return [
    { label: 'no token', headers: {} },
    { label: 'expired Bearer', headers: { authorization: `Bearer ${expired}` } },
    { label: 'expired Basic', headers: { authorization: basic(expired) } },
    { label: 'other domain Bearer', headers: { authorization: `Bearer ${foreign}` } },
    { label: 'other domain Basic', headers: { authorization: basic(foreign) } },
    { label: 'other domain bare', headers: { authorization: foreign } },
    { label: 'other domain API key', headers: { 'x-nuget-apikey': foreign } },
    { label: 'made-up Bearer', headers: { authorization: `Bearer ${madeUp}` } },
    { label: 'Basic without a password', headers: { authorization: `Basic ${Buffer.from('aws').toString('base64')}` } },
  ];
}

async function send(server: HardeningServer, probe: RouteProbe, credential: Credential, options: { head?: boolean; repository?: string } = {}) {
  const method = options.head ? 'HEAD' : probe.method;
  const response = await fetch(`${server.endpoint(probe.format, options.repository)}${probe.path}`, {
    method,
    headers: { ...credential.headers, ...(probe.body ? { 'content-type': 'application/json' } : {}) },
    body: method === 'GET' || method === 'HEAD' ? undefined : (probe.body ?? ''),
  });
  const body = await response.text();
  seenTexts.push(body, JSON.stringify([...response.headers]));
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate') ?? '',
    body,
    label: `${credential.label}: ${method} ${probe.format}/${probe.path}`,
  };
}

function refusal(result: Awaited<ReturnType<typeof send>>, method: string): string | undefined {
  if (result.status !== 401) return `${result.label} answered ${result.status}`;
  if (!/basic/i.test(result.challenge) || !/bearer/i.test(result.challenge)) return `${result.label} offers no Basic and Bearer challenge`;
  if (method !== 'HEAD' && !/token/i.test(result.body)) return `${result.label} says nothing about a token: ${result.body.slice(0, 100)}`;
  return undefined;
}

describe('access control', () => {
  it('has a probe for every route every format declares', async () => {
    expect(await uncoveredRoutes()).toEqual([]);
  });

  it('refuses every route without a valid token of the domain, and never echoes a token', async () => {
    const server = await startHardeningServer(prepared);
    const problems: string[] = [];
    let requests = 0;
    for (const probe of ROUTE_PROBES) {
      for (const credential of badCredentials()) {
        const problem = refusal(await send(server, probe, credential), probe.method);
        requests += 1;
        if (problem) problems.push(problem);
      }
      if (probe.method === 'GET') {
        requests += 1;
        const problem = refusal(await send(server, probe, { label: 'no token', headers: {} }, { head: true }), 'HEAD');
        if (problem) problems.push(problem);
      }
      // A repository that does not exist gives nothing away either: 401 before anything is looked up.
      requests += 1;
      const problem = refusal(await send(server, probe, { label: 'no token, unknown repository', headers: {} }, { repository: 'nope' }), probe.method);
      if (problem) problems.push(problem);
      // The right token gets past the gate (whatever the request then deserves).
      const allowed = await send(server, probe, { label: 'valid token', headers: { authorization: `Bearer ${prepared.token}` } });
      requests += 1;
      if (allowed.status === 401) problems.push(`${allowed.label} was refused with a valid token: ${allowed.body.slice(0, 200)}`);
    }
    // npm logout sends the token to revoke in the URL path.
    const logout = await getAuthorizationToken(prepared.store, { domain: DOMAIN });
    const revoke = await fetch(`${server.endpoint('npm')}-/user/token/${encodeURIComponent(logout.authorizationToken)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${logout.authorizationToken}` },
    });
    seenTexts.push(await revoke.text());
    expect(revoke.status).toBe(200);
    // A token in the query string (a misconfigured client) must not reach the log either.
    await (await fetch(`${server.endpoint('npm')}-/ping?token=${prepared.token}`, { headers: { authorization: `Bearer ${prepared.token}` } })).text();
    await server.stop();

    const secrets = [prepared.token, expired, foreign, madeUp, logout.authorizationToken];
    const leaks = findLeaks(secrets, [
      ['answers', seenTexts.join('\n')],
      ['server output', server.output()],
      ...filesUnder(prepared.root).map((file): [string, string] => [file, readFileSync(file, 'latin1')]),
    ]);
    const modes = filesUnder(prepared.root)
      .filter((file) => path.basename(file) === 'tokens.json')
      .map((file) => `${path.relative(prepared.root, file)} ${(statSync(file).mode & 0o777).toString(8)}`);
    recordFigures('access', {
      'routes probed': ROUTE_PROBES.length,
      'requests sent': requests + 2,
      'wrongly answered': problems.length,
      'token leaks (answers, logs, files)': leaks.length,
      'tokens files not 0600': modes.filter((mode) => !mode.endsWith(' 600')).length,
    });
    expect(problems).toEqual([]);
    expect(leaks).toEqual([]);
    expect(modes).toEqual(['domains/acme/tokens.json 600', 'domains/other/tokens.json 600']);
  });

  it('with anonymous reads allowed, still refuses every write without a token and every bad token', async () => {
    const server = await startHardeningServer(prepared, { server: { allowAnonymousRead: true } });
    const problems: string[] = [];
    for (const probe of ROUTE_PROBES) {
      // npm's -/user/org.couchdb.user login and the advisory bulk POST are reads by design.
      const isWrite = !['GET', 'HEAD'].includes(probe.method) && !probe.path.startsWith('-/user/org.couchdb') && !probe.path.startsWith('-/npm/v1/security');
      const credentials = badCredentials().filter((credential) => isWrite || credential.label !== 'no token');
      for (const credential of credentials) {
        const problem = refusal(await send(server, probe, credential), probe.method);
        if (problem) problems.push(problem);
      }
    }
    await server.stop();
    expect(problems).toEqual([]);
    expect(findLeaks([prepared.token, expired, foreign, madeUp], [['server output', server.output()]])).toEqual([]);
  });
});

function findLeaks(secrets: string[], places: [string, string][]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of places) {
    for (const secret of secrets) {
      // The secret part after the prefix; also as base64 and percent-encoded, the ways it travels.
      const forms = [secret.slice(5), Buffer.from(`aws:${secret}`).toString('base64'), encodeURIComponent(secret).slice(5)];
      if (forms.some((form) => text.includes(form))) leaks.push(`${where} holds a token`);
    }
  }
  return leaks;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}
