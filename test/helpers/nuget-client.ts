/**
 * Replays the HTTP exchanges NuGet 6 (dotnet CLI, NuGet.Protocol) makes, since neither dotnet nor
 * a current NuGet client runs on the test machines: every call starts from the service index and
 * finds resources by @type; requests go out anonymously first and, after a 401 that offers
 * Basic, again with the source's credentials, which are then sent up front (PreAuthenticate);
 * responses may be gzipped (AutomaticDecompression); a push is a chunked multipart PUT built as
 * .NET's MultipartFormDataContent builds it, with X-NuGet-ApiKey.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { parseNuGetRange, type NuGetRange } from '../../src/formats/nuget/version-range.js';
import { compareNuGetVersions, parseNuGetVersion, type NuGetVersion } from '../../src/formats/nuget/nuget-version.js';

const USER_AGENT = 'NuGet .NET Core MSBuild Task/6.8.1 (Linux 6.1.0 #1 SMP Debian)';

export interface Exchange {
  method: string;
  url: string;
  status: number;
  contentType?: string;
  /** Sent with Basic credentials. */
  authenticated: boolean;
}

export interface NuGetResponse {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ServiceIndex {
  version: string;
  resources: { '@id': string; '@type': string }[];
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked, as push does. */
  chunked?: boolean;
}

/** The types NuGet.Protocol tries for each resource, most preferred first (ServiceTypes.cs). */
export const RESOURCE_TYPES = {
  packageBase: ['PackageBaseAddress/3.0.0'],
  publish: ['PackagePublish/2.0.0'],
  registration: [
    'RegistrationsBaseUrl/3.6.0',
    'RegistrationsBaseUrl/3.4.0',
    'RegistrationsBaseUrl/3.0.0-rc',
    'RegistrationsBaseUrl/3.0.0-beta',
    'RegistrationsBaseUrl',
  ],
  search: ['SearchQueryService/3.5.0', 'SearchQueryService/3.0.0-rc', 'SearchQueryService/3.0.0-beta', 'SearchQueryService'],
  autocomplete: ['SearchAutocompleteService/3.5.0', 'SearchAutocompleteService/3.0.0-rc', 'SearchAutocompleteService/3.0.0-beta', 'SearchAutocompleteService'],
};

export class NuGetClient {
  readonly exchanges: Exchange[] = [];
  private preAuthenticate = false;
  private index?: ServiceIndex;
  private readonly sessionId = randomUUID();

  constructor(
    readonly source: string,
    private readonly credentials?: { username: string; password: string },
  ) {}

  async send(method: string, url: string, options: SendOptions = {}): Promise<NuGetResponse> {
    const first = await this.request(method, url, options, this.preAuthenticate);
    const challenge = String(first.headers['www-authenticate'] ?? '');
    if (first.status !== 401 || this.preAuthenticate || !this.credentials || !/\bbasic\b/i.test(challenge)) return first;
    this.preAuthenticate = true;
    return this.request(method, url, options, true);
  }

  private request(method: string, url: string, options: SendOptions, authenticated: boolean): Promise<NuGetResponse> {
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip, deflate',
      'x-nuget-session-id': this.sessionId,
      ...options.headers,
    };
    if (authenticated && this.credentials) {
      headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    if (options.body && !options.chunked) headers['content-length'] = String(options.body.length);
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let body = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          this.exchanges.push({ method, url, status: res.statusCode ?? 0, contentType: res.headers['content-type'], authenticated });
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body });
        });
      });
      req.on('error', reject);
      if (options.body && options.chunked) {
        // A few writes, so the body really goes out in several chunks.
        const size = 16 * 1024;
        for (let offset = 0; offset < options.body.length; offset += size) req.write(options.body.subarray(offset, offset + size));
        req.end();
      } else {
        req.end(options.body);
      }
    });
  }

  async getJson<T>(url: string): Promise<{ response: NuGetResponse; json?: T }> {
    const response = await this.send('GET', url);
    return { response, json: response.status === 200 ? (JSON.parse(response.body.toString('utf8')) as T) : undefined };
  }

  /** GET of the service index, once per client as NuGet caches it per source. */
  async serviceIndex(): Promise<ServiceIndex> {
    if (this.index) return this.index;
    const { response, json } = await this.getJson<ServiceIndex>(this.source);
    if (!json) throw new Error(`service index: ${response.status} ${response.statusMessage}`);
    this.index = json;
    return json;
  }

  async resource(types: string[]): Promise<string> {
    const index = await this.serviceIndex();
    for (const type of types) {
      const found = index.resources.find((resource) => resource['@type'] === type);
      if (found) return found['@id'];
    }
    throw new Error(`the service index has none of ${types.join(', ')}`);
  }

  /** `dotnet nuget push pkg.nupkg -s <source> [-k key]`. */
  async push(nupkg: Buffer, apiKey?: string): Promise<NuGetResponse> {
    const url = await this.resource(RESOURCE_TYPES.publish);
    const boundary = randomUUID();
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg; filename*=utf-8''package.nupkg\r\n\r\n`,
      ),
      nupkg,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary="${boundary}"`, 'x-nuget-protocol-version': '4.1.0' };
    if (apiKey) headers['x-nuget-apikey'] = apiKey;
    return this.send('PUT', url, { headers, body, chunked: true });
  }

  /** `dotnet nuget delete <id> <version> -s <source> -k key --non-interactive`: the id and version as typed. */
  async delete(id: string, version: string, apiKey?: string): Promise<NuGetResponse> {
    const url = await this.resource(RESOURCE_TYPES.publish);
    const headers: Record<string, string> = { 'x-nuget-protocol-version': '4.1.0' };
    if (apiKey) headers['x-nuget-apikey'] = apiKey;
    return this.send('DELETE', `${url.replace(/\/$/, '')}/${id}/${version}`, { headers });
  }

  /** The flat container versions of an id, or undefined on 404 ("not on this source"). */
  async versions(id: string): Promise<string[] | undefined> {
    const base = await this.resource(RESOURCE_TYPES.packageBase);
    const { response, json } = await this.getJson<{ versions: string[] }>(`${base}${id.toLowerCase()}/index.json`);
    if (response.status === 404) return undefined;
    if (!json) throw new Error(`versions of ${id}: ${response.status} ${response.statusMessage}`);
    return json.versions;
  }

  async download(id: string, version: string): Promise<NuGetResponse> {
    const base = await this.resource(RESOURCE_TYPES.packageBase);
    const lowerId = id.toLowerCase();
    const lowerVersion = version.toLowerCase();
    return this.send('GET', `${base}${lowerId}/${lowerVersion}/${lowerId}.${lowerVersion}.nupkg`);
  }

  /**
   * `dotnet restore` of a PackageReference project: for each dependency the lowest version in
   * range (NuGet's rule), its nupkg, then its own dependencies for the target framework.
   */
  async restore(references: { id: string; range: string }[], targetFramework = 'net8.0'): Promise<Map<string, { version: string; bytes: Buffer }>> {
    const resolved = new Map<string, { version: string; bytes: Buffer }>();
    const queue = [...references];
    while (queue.length) {
      const { id, range } = queue.shift() as { id: string; range: string };
      if (resolved.has(id.toLowerCase())) continue;
      const versions = await this.versions(id);
      if (!versions) throw new Error(`NU1101: Unable to find package ${id}`);
      const chosen = lowestInRange(versions, range);
      if (!chosen) throw new Error(`NU1102: Unable to find package ${id} with version ${range}`);
      const response = await this.download(id, chosen);
      if (response.status !== 200) throw new Error(`NU1301: download of ${id} ${chosen}: ${response.status}`);
      resolved.set(id.toLowerCase(), { version: chosen, bytes: response.body });
      queue.push(...dependenciesFor(response.body, targetFramework));
    }
    return resolved;
  }

  /** `dotnet package search <q>`. */
  async search(q: string, options: { prerelease?: boolean; take?: number; skip?: number; semVerLevel?: string } = {}): Promise<NuGetResponse> {
    const url = await this.resource(RESOURCE_TYPES.search);
    const params = new URLSearchParams({
      q,
      skip: String(options.skip ?? 0),
      take: String(options.take ?? 20),
      prerelease: String(options.prerelease ?? false),
      semVerLevel: options.semVerLevel ?? '2.0.0',
    });
    return this.send('GET', `${url}?${params}`);
  }

  /** The registration index of an id, with pages that are not inlined fetched from their @id. */
  async registration(id: string): Promise<{ index: RegistrationIndex; leaves: RegistrationLeaf[] } | undefined> {
    const base = await this.resource(RESOURCE_TYPES.registration);
    const { response, json } = await this.getJson<RegistrationIndex>(`${base}${id.toLowerCase()}/index.json`);
    if (response.status === 404) return undefined;
    if (!json) throw new Error(`registration of ${id}: ${response.status}`);
    const leaves: RegistrationLeaf[] = [];
    for (const page of json.items) {
      if (page.items) leaves.push(...page.items);
      else {
        const fetched = await this.getJson<RegistrationPage>(page['@id']);
        if (!fetched.json) throw new Error(`registration page ${page['@id']}: ${fetched.response.status}`);
        leaves.push(...(fetched.json.items ?? []));
      }
    }
    return { index: json, leaves };
  }
}

export interface RegistrationLeaf {
  '@id': string;
  packageContent: string;
  catalogEntry: {
    '@id': string;
    id: string;
    version: string;
    listed?: boolean;
    packageHash?: string;
    dependencyGroups?: { targetFramework?: string; dependencies?: { id: string; range?: string }[] }[];
    [key: string]: unknown;
  };
}

export interface RegistrationPage {
  '@id': string;
  count: number;
  lower: string;
  upper: string;
  parent?: string;
  items?: RegistrationLeaf[];
}

export interface RegistrationIndex {
  '@id'?: string;
  count: number;
  items: RegistrationPage[];
}

function satisfies(version: NuGetVersion, range: NuGetRange): boolean {
  if (range.min) {
    const order = compareNuGetVersions(version, range.min);
    if (order < 0 || (order === 0 && !range.minInclusive)) return false;
  }
  if (range.max) {
    const order = compareNuGetVersions(version, range.max);
    if (order > 0 || (order === 0 && !range.maxInclusive)) return false;
  }
  return true;
}

function lowestInRange(versions: string[], rangeText: string): string | undefined {
  const range = parseNuGetRange(rangeText);
  if (!range) throw new Error(`bad range ${rangeText}`);
  const candidates = versions
    .map((text) => ({ text, parsed: parseNuGetVersion(text) }))
    .filter((entry): entry is { text: string; parsed: NuGetVersion } => entry.parsed !== undefined && satisfies(entry.parsed, range));
  candidates.sort((a, b) => compareNuGetVersions(a.parsed, b.parsed));
  return candidates[0]?.text;
}

/** The dependencies a downloaded nupkg's nuspec declares for one framework (or for all). */
function dependenciesFor(nupkg: Buffer, targetFramework: string): { id: string; range: string }[] {
  const entry = new AdmZip(nupkg).getEntries().find((candidate) => /^[^/]+\.nuspec$/i.test(candidate.entryName));
  if (!entry) throw new Error('the downloaded package has no nuspec');
  const xml = entry.getData().toString('utf8');
  const groups = [...xml.matchAll(/<group targetFramework="([^"]*)">([\s\S]*?)<\/group>/g)];
  const section = groups.length ? (groups.find((group) => group[1] === targetFramework)?.[2] ?? '') : xml;
  return [...section.matchAll(/<dependency id="([^"]+)"(?: version="([^"]+)")?/g)].map((match) => ({ id: match[1], range: match[2] ?? '0.0.0' }));
}

/** Every absolute URL in a JSON document (fragments dropped), to check that each one answers. */
export function urlsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (/^https?:\/\//.test(value)) found.add(value.split('#')[0]);
  } else if (Array.isArray(value)) {
    for (const entry of value) urlsIn(entry, found);
  } else if (value && typeof value === 'object') {
    for (const entry of Object.values(value)) urlsIn(entry, found);
  }
  return found;
}
