/**
 * The Ruby routes over real HTTP with gems built in Node: push, the compact index (md5s that
 * agree, ETags Bundler checks, 304, Range), downloads, the Marshal gemspec, platforms kept
 * apart, re-push rules and yank.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GemEntry } from '../../../src/formats/ruby/gem-view.js';
import { specTuples } from '../../../src/formats/ruby/legacy-specs.js';
import { buildGem } from '../../helpers/ruby-gem.js';
import { getWithToken, pushGem, startRubyServer, type RubyTestServer } from '../../helpers/ruby-server.js';

let server: RubyTestServer;
let source: string;
const base = buildGem({ name: 'base_gem', version: '1.0.0', summary: 'The base', homepage: 'http://example.invalid/base', licenses: ['MIT', 'Apache-2.0'] });
const top = buildGem({
  name: 'top-gem',
  version: '0.2.0',
  dependencies: {
    base_gem: [
      ['>=', '1.0'],
      ['<', '2'],
    ],
  },
  developmentDependencies: { rake: [['~>', '13.0']] },
  requiredRuby: [['>=', '2.7']],
});
const topJava = buildGem({ name: 'top-gem', version: '0.2.0', platform: 'java', dependencies: { base_gem: [['>=', '1.0']] } });

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

beforeAll(async () => {
  server = await startRubyServer({ repositories: [{ name: 'app' }] });
  source = server.endpoint('app');
  for (const gem of [base, top, topJava]) expect(await pushGem(server, 'app', gem.bytes)).toMatchObject({ status: 200 });
});

describe('push', () => {
  it('answers with the text gem prints, and accepts identical bytes again', async () => {
    const again = await pushGem(server, 'app', base.bytes);
    expect(again).toEqual({ status: 200, text: 'Gem base_gem (1.0.0) was already pushed with these bytes.' });
    const fresh = await pushGem(server, 'app', buildGem({ name: 'fresh', version: '1.0' }).bytes);
    expect(fresh).toEqual({ status: 200, text: 'Successfully registered gem: fresh (1.0)' });
  });

  it('refuses the same version and platform with other bytes (409)', async () => {
    const other = buildGem({ name: 'base_gem', version: '1.0.0', salt: 'changed' });
    const answer = await pushGem(server, 'app', other.bytes);
    expect(answer.status).toBe(409);
    expect(answer.text).toContain('Repushing of gem versions is not allowed');
  });

  it('refuses another spelling of a version RubyGems takes as the same (409), per platform as the public registry', async () => {
    expect((await pushGem(server, 'app', buildGem({ name: 'spelled', version: '1.0.0' }).bytes)).status).toBe(200);
    for (const version of ['1.0', '1', '01.0.0', '1.0.0.0']) {
      const answer = await pushGem(server, 'app', buildGem({ name: 'spelled', version }).bytes);
      expect([version, answer.status]).toEqual([version, 409]);
      expect(answer.text).toContain(`Version ${version} of spelled is the same version to RubyGems as 1.0.0`);
    }
    const info = await (await getWithToken(server, `${source}info/spelled`)).text();
    expect(
      info
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['---', '1.0.0']);
    // Another platform under another spelling is a version of its own there too.
    expect((await pushGem(server, 'app', buildGem({ name: 'spelled', version: '1.0', platform: 'java' }).bytes)).status).toBe(200);
  });

  it('takes two platforms of a new version pushed at the same time', async () => {
    const gems = ['ruby', 'java', 'x86_64-linux'].map((platform) => buildGem({ name: 'parallel', version: '3.0.0', platform }));
    const answers = await Promise.all(gems.map((gem) => pushGem(server, 'app', gem.bytes)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const info = await (await getWithToken(server, `${source}info/parallel`)).text();
    expect(info.split('\n').filter(Boolean)).toEqual([
      '---',
      ...['3.0.0', '3.0.0-java', '3.0.0-x86_64-linux'].map(
        (head, index) => `${head} |checksum:${[gems[0], gems[1], gems[2]][index].sha256},ruby:>= 0,rubygems:>= 0`,
      ),
    ]);
  });

  it('refuses a push without a valid key (401)', async () => {
    const answer = await pushGem(server, 'app', base.bytes, 'not-a-token');
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain(server.root);
  });
});

describe('compact index', () => {
  it('answers the source root with 200 for HEAD and GET', async () => {
    const head = await fetch(source, { method: 'HEAD', headers: { authorization: `Basic ${Buffer.from(`aws:${server.token}`).toString('base64')}` } });
    expect(head.status).toBe(200);
    expect((await getWithToken(server, source)).status).toBe(200);
  });

  it('lists runtime dependencies, checksum, ruby and rubygems per version and platform', async () => {
    const info = await getWithToken(server, `${source}info/top-gem`);
    expect(info.status).toBe(200);
    expect(info.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = await info.text();
    expect(body).toBe(
      [
        '---',
        `0.2.0 base_gem:>= 1.0&< 2|checksum:${top.sha256},ruby:>= 2.7,rubygems:>= 0`,
        `0.2.0-java base_gem:>= 1.0|checksum:${topJava.sha256},ruby:>= 0,rubygems:>= 0`,
        '',
      ].join('\n'),
    );
    expect(info.headers.get('etag')).toBe(`"${md5(body)}"`);
  });

  it('names in /versions the md5 of the exact /info body served', async () => {
    const versions = await (await getWithToken(server, `${source}versions`)).text();
    const lines = versions.split('\n');
    expect(lines[1]).toBe('---');
    const topLine = lines.find((line) => line.startsWith('top-gem '));
    const infoBody = await (await getWithToken(server, `${source}info/top-gem`)).text();
    expect(topLine).toBe(`top-gem 0.2.0,0.2.0-java ${md5(infoBody)}`);
    const baseInfo = await (await getWithToken(server, `${source}info/base_gem`)).text();
    expect(lines).toContain(`base_gem 1.0.0 ${md5(baseInfo)}`);
  });

  it('answers If-None-Match with 304 and a Range with the bytes from there (206)', async () => {
    const full = await getWithToken(server, `${source}versions`);
    const body = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get('etag') as string;
    expect(etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(full.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(body).digest('base64')}:`);
    expect((await getWithToken(server, `${source}versions`, { 'if-none-match': etag })).status).toBe(304);
    const partial = await getWithToken(server, `${source}versions`, { range: `bytes=${body.length - 5}-` });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes ${body.length - 5}-${body.length - 1}/${body.length}`);
    expect(Buffer.from(await partial.arrayBuffer())).toEqual(body.subarray(body.length - 5));
  });

  it('lists the gems in /names and answers 404 for an unknown gem', async () => {
    expect(await (await getWithToken(server, `${source}names`)).text()).toMatch(/^---\nbase_gem\nfresh\n(listed\n)?parallel\nspelled\ntop-gem\n$/);
    const missing = await getWithToken(server, `${source}info/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('nothing-here');
  });
});

describe('downloads', () => {
  it("serves each platform's gem with its own bytes", async () => {
    const ruby = await getWithToken(server, `${source}gems/top-gem-0.2.0.gem`);
    expect(ruby.status).toBe(200);
    expect(Buffer.from(await ruby.arrayBuffer())).toEqual(top.bytes);
    const java = await getWithToken(server, `${source}gems/top-gem-0.2.0-java.gem`);
    expect(Buffer.from(await java.arrayBuffer())).toEqual(topJava.bytes);
    expect((await getWithToken(server, `${source}gems/top-gem-0.3.0.gem`)).status).toBe(404);
  });

  it("serves a Marshal gemspec that starts like Ruby's Marshal.dump of a Gem::Specification", async () => {
    const answer = await getWithToken(server, `${source}quick/Marshal.4.8/top-gem-0.2.0.gemspec.rz`);
    expect(answer.status).toBe(200);
    const marshal = inflateSync(Buffer.from(await answer.arrayBuffer()));
    expect(marshal.subarray(0, 3)).toEqual(Buffer.from([4, 8, 0x75]));
    expect(marshal.includes(Buffer.from('Gem::Specification'))).toBe(true);
    expect(marshal.includes(Buffer.from('base_gem'))).toBe(true);
    expect(marshal.includes(Buffer.from('rake'))).toBe(true);
  });
});

describe('legacy spec lists', () => {
  it('serves gzipped Marshal lists; the latest list names the newest release per platform, prereleases apart', async () => {
    await pushGem(server, 'app', buildGem({ name: 'listed', version: '1.0.0' }).bytes);
    await pushGem(server, 'app', buildGem({ name: 'listed', version: '1.1.0' }).bytes);
    await pushGem(server, 'app', buildGem({ name: 'listed', version: '2.0.0.rc1' }).bytes);
    for (const file of ['specs', 'latest_specs', 'prerelease_specs']) {
      const answer = await getWithToken(server, `${source}${file}.4.8.gz`);
      expect(answer.status).toBe(200);
      expect(gunzipSync(Buffer.from(await answer.arrayBuffer())).subarray(0, 3)).toEqual(Buffer.from([4, 8, 0x5b]));
    }
    const entry = (version: string, platform = 'ruby', listed = true) => ({ version, platform, listed }) as GemEntry;
    const gems = [
      { name: 'listed', infoMd5: '', entries: [entry('1.0.0'), entry('1.1.0'), entry('1.1.0', 'java'), entry('1.2.0', 'ruby', false), entry('2.0.0.rc1')] },
    ];
    expect(specTuples(gems, 'specs')).toEqual([
      ['listed', '1.0.0', 'ruby'],
      ['listed', '1.1.0', 'ruby'],
      ['listed', '1.1.0', 'java'],
    ]);
    expect(specTuples(gems, 'latest_specs')).toEqual([
      ['listed', '1.1.0', 'ruby'],
      ['listed', '1.1.0', 'java'],
    ]);
    expect(specTuples(gems, 'prerelease_specs')).toEqual([['listed', '2.0.0.rc1', 'ruby']]);
  });
});

describe('names in URLs', () => {
  it.each([
    ['info/..%2F..%2Fetc', 404],
    ['gems/..%2F..%2Fbase_gem-1.0.0.gem', 404],
    ['gems/base_gem-1.0.0%2F..%2F..%2Fx.gem', 404],
    ['quick/Marshal.4.8/..%2Fbase_gem-1.0.0.gemspec.rz', 404],
  ])('answers %s with %i and no server path', async (suffix, status) => {
    const answer = await getWithToken(server, `${source}${suffix}`);
    expect(answer.status).toBe(status);
    expect(await answer.text()).not.toContain(server.root);
  });
});

describe('yank', () => {
  it('takes the version out of the compact index but keeps its file downloadable', async () => {
    const yanked = buildGem({ name: 'base_gem', version: '1.1.0' });
    await pushGem(server, 'app', yanked.bytes);
    expect(await (await getWithToken(server, `${source}info/base_gem`)).text()).toContain('1.1.0 ');
    const answer = await fetch(`${source}api/v1/gems/yank`, {
      method: 'DELETE',
      headers: { authorization: server.token, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'gem_name=base_gem&version=1.1.0',
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('Successfully deleted gem: base_gem (1.1.0)');
    const info = await (await getWithToken(server, `${source}info/base_gem`)).text();
    expect(info).not.toContain('1.1.0');
    expect(await (await getWithToken(server, `${source}versions`)).text()).toContain(`base_gem 1.0.0 ${md5(info)}`);
    expect((await getWithToken(server, `${source}gems/base_gem-1.1.0.gem`)).status).toBe(200);
  });

  it('answers 404 with a message for a version that does not exist', async () => {
    const answer = await fetch(`${source}api/v1/gems/yank`, {
      method: 'DELETE',
      headers: { authorization: server.token, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'gem_name=base_gem&version=9.9.9',
    });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain('9.9.9 of base_gem does not exist');
  });
});
