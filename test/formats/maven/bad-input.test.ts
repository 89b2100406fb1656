import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildJar, buildPom, clientMetadata, clientSnapshotMetadata, startMavenHarness, type MavenHarness } from '../../helpers/maven-harness.js';

const DIR = 'com/acme/widget';
const sha1 = (bytes: Buffer | string) => createHash('sha1').update(bytes).digest('hex');

let h: MavenHarness;
beforeAll(async () => {
  h = await startMavenHarness({ maxUploadBytes: 64 * 1024 });
  await h.deploy(`${DIR}/1.0/widget-1.0.pom`, buildPom({ groupId: 'com.acme', artifactId: 'widget', version: '1.0' }));
  await h.deploy(`${DIR}/1.0/widget-1.0.jar`, buildJar());
  await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'widget', ['1.0']));
});

/** A request with the path exactly as given: fetch() would resolve '..' and '%2e%2e' first. */
function rawRequest(method: string, rawPath: string, body = ''): Promise<{ status: number; text: string }> {
  const url = new URL(h.server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `/acme/maven/main/${rawPath}`,
        headers: { authorization: `Basic ${Buffer.from(`aws:${h.token}`).toString('base64')}`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs a bad request and checks that it got `status` and left the store exactly as it was. */
async function refused(status: number, send: () => Promise<{ status: number }>): Promise<void> {
  const before = h.storedState();
  expect((await send()).status).toBe(status);
  expect(h.storedState()).toEqual(before);
}

describe('paths that do not fit the layout', () => {
  it('refuses uploads outside groupId/artifactId/version/file (400) and answers 404 to such reads', async () => {
    await refused(400, () => h.put('widget-1.0.jar', buildJar()));
    await refused(400, () => h.put('com/widget/1.0.jar', buildJar()));
    await refused(400, () => h.put(`${DIR}/1.0/gadget-1.0.jar`, buildJar()));
    await refused(400, () => h.put(`com.acme/widget/1.0/widget-1.0.jar`, buildJar()));
    await refused(400, () => h.put(`${DIR}/1.0/widget-1.0.jar.sha1.md5`, 'abc'));
    expect((await h.request('com/acme')).status).toBe(404);
    expect((await h.request(`${DIR}/`)).status).toBe(404);
  });

  it('refuses encoded separators and dot segments', async () => {
    await refused(400, () =>
      rawRequest('PUT', 'com%2Facme/widget/2.0/widget-2.0.pom', buildPom({ groupId: 'com.acme', artifactId: 'widget', version: '2.0' })),
    );
    await refused(400, () => rawRequest('PUT', 'com/acme/widget/2.0/widget-2.0%5C..%5Cevil.jar', 'x'));
    await refused(400, () => rawRequest('GET', `com/acme/widget/1.0/..%2F..%2F..%2Fwidget-1.0.jar`));
    await refused(400, () => rawRequest('GET', 'com/acme/widget/%ZZ/x.jar'));
    // A literal '..' is refused before routing (docs/server.md, the "Paths" item), like its encoded forms.
    const climbing = await rawRequest('GET', '../../../../etc/passwd');
    expect(climbing.status).toBe(400);
    expect(climbing.text).not.toContain('root:');
  });
});

describe('content that is not what it claims to be', () => {
  it('refuses a POM that is not XML, declares a DOCTYPE, or names other coordinates (400), storing nothing', async () => {
    await refused(400, () => h.put(`${DIR}/2.0/widget-2.0.pom`, 'this is not xml <project>'));
    const doctype = `<?xml version="1.0"?><!DOCTYPE project [<!ENTITY a "aaaaaaaaaa">]><project><groupId>com.acme</groupId><artifactId>widget</artifactId><version>2.0</version></project>`;
    await refused(400, () => h.put(`${DIR}/2.0/widget-2.0.pom`, doctype));
    await refused(400, () => h.put(`${DIR}/2.0/widget-2.0.pom`, '<?xml version="1.0"?><notaproject/>'));
    const other = await h.put(`${DIR}/2.0/widget-2.0.pom`, buildPom({ groupId: 'com.other', artifactId: 'widget', version: '2.0' }));
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('groupId is "com.other"');
  });

  it('refuses a jar that is not a zip (400), storing nothing', async () => {
    const response = await h.put(`${DIR}/2.0/widget-2.0.jar`, 'plain text, not a zip');
    expect(response.status).toBe(400);
    expect(response.statusText).toContain('not a zip archive');
    await refused(400, () => h.put(`${DIR}/2.0/widget-2.0.war`, Buffer.alloc(3000, 1)));
    await refused(400, () => h.put(`${DIR}/2.0/widget-2.0.jar`, ''));
  });

  it('refuses an upload larger than the limit (413), storing nothing', async () => {
    await refused(413, () => h.put(`${DIR}/2.0/widget-2.0.zip`, Buffer.concat([buildJar(), Buffer.alloc(70 * 1024)])));
    await refused(413, () => h.put(`${DIR}/2.0/widget-2.0.pom`, `<project>${' '.repeat(70 * 1024)}</project>`));
  });

  it('names the fixed limit of a checksum file or metadata over it, not server.maxUploadBytes, which does not move it', async () => {
    const chunked = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const answers = [
      await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, 'a'.repeat(2000)),
      await h.request(`${DIR}/1.0/widget-1.0.jar.sha1`, { method: 'PUT', body: chunked('a'.repeat(2000)), duplex: 'half' } as RequestInit),
      await h.put(`${DIR}/maven-metadata.xml`, `<metadata>${' '.repeat(4 * 1024 * 1024)}</metadata>`),
    ];
    for (const response of answers) {
      const text = await response.text();
      expect(response.status, text).toBe(413);
      expect(text).toMatch(/may be at most (1024|4194304) bytes/);
      expect(text).not.toContain('Raise server.maxUploadBytes');
    }
  });

  it('refuses a digest announced in X-Checksum-Sha1 that the bytes do not have', async () => {
    await refused(400, () =>
      h.request(`${DIR}/2.0/widget-2.0.jar`, { method: 'PUT', body: new Uint8Array(buildJar()), headers: { 'x-checksum-sha1': sha1('other') } }),
    );
  });

  it('refuses maven-metadata.xml that is not XML or names another artifact', async () => {
    await refused(400, () => h.put(`${DIR}/maven-metadata.xml`, '{"versions": ["1.0"]}'));
    await refused(400, () => h.put(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'gadget', ['1.0'])));
  });
});

describe('checksum uploads', () => {
  it('refuses a checksum that disagrees with the stored file (400) and one for a file never uploaded (404)', async () => {
    await refused(400, () => h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, sha1('something else')));
    await refused(400, () => h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, 'not hex'));
    await refused(404, () => h.put(`${DIR}/1.0/widget-1.0-sources.jar.sha1`, sha1('x')));
    await refused(404, () => h.put(`com/acme/nothing/maven-metadata.xml.sha1`, sha1('x')));
  });

  it('says which check refused a checksum upload', async () => {
    const notHex = await h.put(`${DIR}/1.0/widget-1.0.jar.md5`, 'z'.repeat(32));
    expect(notHex.status).toBe(400);
    expect(await notHex.text()).toContain('The MD5 checksum file does not hold a MD5 digest.');
    const tooShort = await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, sha1('x').slice(1));
    expect(await tooShort.text()).toContain('The SHA1 checksum file does not hold a SHA1 digest.');
    const wrong = await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, `  ${sha1('something else').toUpperCase()}\twidget-1.0.jar`);
    expect(wrong.status).toBe(400);
    const text = await wrong.text();
    expect(text).toContain(
      `The SHA1 checksum uploaded for widget-1.0.jar of com.acme:widget:1.0 does not match its content (${sha1('something else')} given, `,
    );
    expect(text).toContain('upload both again');
    const missing = await h.put(`${DIR}/1.0/widget-1.0-sources.jar.sha1`, sha1('x'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('widget-1.0-sources.jar of com.acme:widget:1.0 is not stored in repository');
  });

  it('accepts the right digest in upper case, followed by a file name, and for the uploaded metadata', async () => {
    const jar = await (await h.request(`${DIR}/1.0/widget-1.0.jar`)).arrayBuffer();
    expect((await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, sha1(Buffer.from(jar)).toUpperCase())).status).toBe(201);
    expect((await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, `${sha1(Buffer.from(jar))}  widget-1.0.jar\n`)).status).toBe(201);
    const metadata = clientMetadata('com.acme', 'widget', ['1.0']);
    expect((await h.put(`${DIR}/maven-metadata.xml`, metadata)).status).toBe(201);
    expect((await h.put(`${DIR}/maven-metadata.xml.sha1`, sha1(metadata))).status).toBe(201);
    await refused(400, () => h.put(`${DIR}/maven-metadata.xml.sha1`, sha1('another metadata')));
  });
});

describe('checksum uploads of other files', () => {
  const md5 = (bytes: string) => createHash('md5').update(bytes).digest('hex');

  it('answers 201 with an empty text body, and 404 for files of a version or artifact never uploaded', async () => {
    const jar = Buffer.from(await (await h.request(`${DIR}/1.0/widget-1.0.jar`)).arrayBuffer());
    const accepted = await h.put(`${DIR}/1.0/widget-1.0.jar.sha1`, sha1(jar));
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await accepted.text()).toBe('');
    await refused(404, () => h.put(`${DIR}/7.0/widget-7.0.jar.sha1`, sha1('x')));
    await refused(404, () => h.put('com/acme/never/1.0/never-1.0.jar.sha1', sha1('x')));
  });

  it("checks a SNAPSHOT version's metadata checksum against the metadata uploaded for it", async () => {
    const V = '5.0-SNAPSHOT';
    await h.deploy(`${DIR}/${V}/widget-5.0-20240501.103000-1.jar`, buildJar());
    await h.deploy(`${DIR}/${V}/widget-5.0-20240501.103000-1.pom`, buildPom({ groupId: 'com.acme', artifactId: 'widget', version: V }));
    const metadata = clientSnapshotMetadata('com.acme', 'widget', V, '20240501.103000', 1);
    expect(await h.deploy(`${DIR}/${V}/maven-metadata.xml`, metadata)).toBe(201);
    expect((await h.put(`${DIR}/${V}/maven-metadata.xml.sha1`, sha1(metadata))).status).toBe(201);
    expect((await h.put(`${DIR}/${V}/maven-metadata.xml.md5`, md5(metadata))).status).toBe(201);
    await refused(400, () => h.put(`${DIR}/${V}/maven-metadata.xml.sha1`, sha1('other metadata')));
    const missing = await h.put(`${DIR}/6.0-SNAPSHOT/maven-metadata.xml.sha1`, sha1(metadata));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(`maven-metadata.xml of ${DIR}/6.0-SNAPSHOT is not stored in repository`);
  });

  it("checks a group's plugin metadata checksum against that group's metadata, not another group's", async () => {
    const groups = ['com/acme/alpha', 'com/acme/beta'];
    const uploaded: string[] = [];
    for (const group of groups) {
      const groupId = group.replaceAll('/', '.');
      const plugin = `${group}/thing-maven-plugin`;
      await h.deploy(`${plugin}/1.0/thing-maven-plugin-1.0.jar`, buildJar());
      await h.deploy(`${plugin}/1.0/thing-maven-plugin-1.0.pom`, buildPom({ groupId, artifactId: 'thing-maven-plugin', version: '1.0' }));
      await h.deploy(`${plugin}/maven-metadata.xml`, clientMetadata(groupId, 'thing-maven-plugin', ['1.0']));
      const metadata = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata><plugins><plugin><name>${groupId}</name><prefix>${group.split('/').at(-1)}</prefix><artifactId>thing-maven-plugin</artifactId></plugin></plugins></metadata>\n`;
      expect(await h.deploy(`${group}/maven-metadata.xml`, metadata)).toBe(201);
      uploaded.push(metadata);
    }
    // Artifacts that are not plugins, in a group with plugins and in one without.
    for (const group of ['com/acme/alpha', 'com/acme/gamma']) {
      await h.deploy(`${group}/lib/1.0/lib-1.0.jar`, buildJar());
      await h.deploy(`${group}/lib/1.0/lib-1.0.pom`, buildPom({ groupId: group.replaceAll('/', '.'), artifactId: 'lib', version: '1.0' }));
    }
    expect((await h.put('com/acme/alpha/maven-metadata.xml.sha1', sha1(uploaded[0]))).status).toBe(201);
    await refused(400, () => h.put('com/acme/alpha/maven-metadata.xml.sha1', sha1(uploaded[1])));
    // A group with no plugin metadata uploaded: nothing to check against.
    await refused(404, () => h.put('com/acme/gamma/maven-metadata.xml.sha1', sha1(uploaded[0])));
  });
});

describe('authentication', () => {
  it('challenges a request without a token with 401 and WWW-Authenticate: Basic, and refuses a wrong one', async () => {
    const anonymous = await h.request(`${DIR}/1.0/widget-1.0.jar`, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm=');
    await refused(401, () => h.request(`${DIR}/3.0/widget-3.0.jar`, { method: 'PUT', body: new Uint8Array(buildJar()), token: 'wrong' }));
  });
});
