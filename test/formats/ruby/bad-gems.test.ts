/**
 * Bad pushes: each is refused with a 4xx whose body (what `gem push` prints) says what is wrong,
 * and nothing is stored: blobs/ and the indexes are exactly as before.
 */
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGem, gemspecYaml, tarArchive } from '../../helpers/ruby-gem.js';
import { pushGem, startRubyServer, type RubyTestServer } from '../../helpers/ruby-server.js';

let server: RubyTestServer;
let before: string[];

beforeAll(async () => {
  server = await startRubyServer({ repositories: [{ name: 'app' }] });
  expect((await pushGem(server, 'app', buildGem({ name: 'kept', version: '1.0' }).bytes)).status).toBe(200);
  before = await server.snapshot();
});

async function expectRefused(bytes: Buffer, status: number, message: string | RegExp): Promise<void> {
  const answer = await pushGem(server, 'app', bytes);
  expect(answer.status).toBe(status);
  expect(answer.text).toMatch(message);
  expect(answer.text).not.toContain(server.root);
  expect(await server.snapshot()).toEqual(before);
}

/** A data.tar.gz holding a symbolic link that points out of the gem's folder. */
function dataWithLink(): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ruby-bad-data-'));
  try {
    writeFileSync(path.join(dir, 'ok.rb'), '');
    symlinkSync('../../../etc/passwd', path.join(dir, 'link.rb'));
    const out = path.join(dir, 'data.tar.gz');
    tar.create({ gzip: true, cwd: dir, file: out, sync: true, portable: true }, ['ok.rb', 'link.rb']);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('refused gems', () => {
  it('refuses a body that is not a tar archive', async () => {
    await expectRefused(
      Buffer.from('this is not a gem at all, just some text that is long enough '.repeat(20)),
      422,
      /not a valid gem: it is not a tar archive/,
    );
  });

  it('refuses a gemspec with a !ruby/object tag that would instantiate another class', async () => {
    const yaml = gemspecYaml({ name: 'evil', version: '1.0' }).replace('email:', 'email: !ruby/object:Gem::Installer\n  i: x');
    await expectRefused(buildGem({ name: 'evil', version: '1.0', yaml }).bytes, 422, /YAML tag !ruby\/object:Gem::Installer, which is not allowed/);
  });

  it('refuses other Ruby tags too (!ruby/hash-with-ivars)', async () => {
    const yaml = gemspecYaml({ name: 'evil', version: '1.0' }).replace('metadata: {}', 'metadata: !ruby/hash-with-ivars:ERB\n  a: b');
    await expectRefused(buildGem({ name: 'evil', version: '1.0', yaml }).bytes, 422, /YAML tag !ruby\/hash-with-ivars:ERB/);
  });

  it('refuses a YAML bomb', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const yaml = `${gemspecYaml({ name: 'bomb', version: '1.0' })}${levels.join('\n')}\n`;
    await expectRefused(
      buildGem({ name: 'bomb', version: '1.0', yaml }).bytes,
      422,
      /YAML aliases expand to more than 10000 values; it was refused as a possible YAML bomb/,
    );
  });

  it('refuses deeply nested YAML before parsing it (the parser would exhaust memory)', async () => {
    const yaml = `${gemspecYaml({ name: 'deep', version: '1.0' })}x: ${'['.repeat(200_000)}\n`;
    await expectRefused(buildGem({ name: 'deep', version: '1.0', yaml }).bytes, 422, /nests YAML collections more than 64 deep/);
    const blocks = `${gemspecYaml({ name: 'deep', version: '1.0' })}x: ${'- '.repeat(50_000)}y\n`.replace('x: - ', 'x:\n- ');
    await expectRefused(buildGem({ name: 'deep', version: '1.0', yaml: blocks }).bytes, 422, /nests YAML blocks too deep/);
  });

  it('refuses a gemspec that unpacks past the size cap (gzip bomb)', async () => {
    const huge = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const gem = buildGem({ name: 'big', version: '1.0' });
    const members = { 'metadata.gz': huge, 'data.tar.gz': gzipSync(tarArchive({ 'lib/big.rb': Buffer.from('') })) };
    expect(gem.bytes.length).toBeGreaterThan(0);
    await expectRefused(tarArchive(members), 422, /metadata.gz unpacks to more than/);
  });

  it('refuses a top-level entry escaping the archive', async () => {
    const gem = buildGem({ name: 'escape', version: '1.0', extraEntries: { '../../outside.txt': Buffer.from('x') } });
    await expectRefused(gem.bytes, 422, /entry "..\/..\/outside.txt", which would be written outside the package/);
  });

  it("refuses a data.tar.gz entry escaping the gem's folder", async () => {
    const data = gzipSync(tarArchive({ '../../../../tmp/owned.rb': Buffer.from('x') }));
    const yaml = gemspecYaml({ name: 'escape', version: '1.0' });
    const gem = tarArchive({ 'metadata.gz': gzipSync(Buffer.from(yaml)), 'data.tar.gz': data });
    await expectRefused(gem, 422, /data.tar.gz holds the entry ".*owned.rb", which would be written outside/);
  });

  it('refuses a data.tar.gz symbolic link pointing out of the gem', async () => {
    const gem = tarArchive({ 'metadata.gz': gzipSync(Buffer.from(gemspecYaml({ name: 'escape', version: '1.0' }))), 'data.tar.gz': dataWithLink() });
    await expectRefused(gem, 422, /which would be written outside the gem's folder/);
  });

  it('refuses a member that does not match checksums.yaml.gz', async () => {
    await expectRefused(buildGem({ name: 'damaged', version: '1.0', badChecksum: true }).bytes, 422, /metadata.gz does not match its SHA256 checksum/);
  });

  it('refuses a name with ../ in it', async () => {
    const yaml = gemspecYaml({ name: 'x', version: '1.0' }).replace('name: x', 'name: ../../evil');
    await expectRefused(buildGem({ name: 'x', version: '1.0', yaml }).bytes, 422, /the name "..\/..\/evil" is not a valid gem name/);
  });

  it('refuses a version with a dash, which the compact index would split as a platform', async () => {
    const yaml = gemspecYaml({ name: 'dashy', version: '1.0' }).replace('version: 1.0', 'version: 1.0-beta');
    await expectRefused(buildGem({ name: 'dashy', version: '1.0', yaml }).bytes, 422, /version "1.0-beta" is not a valid gem version/);
  });

  it('refuses a body over the upload limit (413), declared or streamed, leaving no staged file', async () => {
    const small = await startRubyServer({ repositories: [{ name: 'app' }], maxUploadBytes: 16 * 1024 });
    const staged = () => readdirSync(path.join(small.root, 'tmp')).filter((file) => file.startsWith('gem-push-'));
    const before = await small.snapshot();
    const big = buildGem({ name: 'big', version: '1.0', dataEntries: { 'lib/blob.bin': randomBytes(64 * 1024) } }).bytes;
    const declared = await pushGem(small, 'app', big);
    expect(declared.status).toBe(413);
    expect(declared.text).toBe(
      "The gem is larger than this server's limit of 16384 bytes; nothing was stored.\nRaise server.maxUploadBytes in the artifact-cli config file if gems this large are expected.\n",
    );
    // Without a Content-Length the cap is counted as the bytes come, and the answer still arrives.
    const streamed = await fetch(`${small.endpoint('app')}api/v1/gems`, {
      method: 'POST',
      headers: { authorization: small.token },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < big.length; at += 4096) controller.enqueue(new Uint8Array(big.subarray(at, at + 4096)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toContain("The gem is larger than this server's limit of 16384 bytes");
    expect(await small.snapshot()).toEqual(before);
    expect(staged()).toEqual([]);
    // Within the cap the staged file is read, stored and removed.
    expect((await pushGem(small, 'app', buildGem({ name: 'tiny', version: '1.0' }).bytes)).status).toBe(200);
    expect(staged()).toEqual([]);
  });
});
