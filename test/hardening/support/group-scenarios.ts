/**
 * The package-group dimension of the policy matrix: per format, the package names whose groups
 * restrict each door (PUBLISH, INTERNAL_UPSTREAM, EXTERNAL_UPSTREAM), the message of a refusal
 * read out of each client's own error shape, a read of one version the way the format's client
 * reads it (metadata, then the file), and a stand-in public registry for the formats that have one.
 */
import { indexPathOf } from '../../helpers/cargo-crate.js';
import { startFakeMavenRepo } from '../../helpers/fake-maven-repo.js';
import { startFakeNpmRegistry } from '../../helpers/fake-npm-registry.js';
import { startFakeNuGetServer } from '../../helpers/fake-nuget-server.js';
import { startFakePypiIndex } from '../../helpers/fake-pypi-index.js';
import { startFakeRubygems } from '../../helpers/fake-rubygems.js';
import { startFakeCargoIndex } from '../../helpers/fake-cargo-index.js';
import { buildJar, buildPom } from '../../helpers/maven-harness.js';
import { buildWheel } from '../../helpers/pypi-dist.js';
import { basicAuth } from './hardening-server.js';
import type { Answer } from './publish-requests.js';

export interface GroupFormat {
  format: string;
  namespace?: string;
  /** A version to seed and a second one to publish under the group's restriction. */
  versions: [string, string];
}

export const GROUP_FORMATS: GroupFormat[] = [
  { format: 'npm', versions: ['1.0.0', '2.0.0'] },
  { format: 'pypi', versions: ['1.0', '2.0'] },
  { format: 'nuget', versions: ['1.0.0', '2.0.0'] },
  { format: 'maven', namespace: 'com.acme', versions: ['1.0', '2.0'] },
  { format: 'generic', namespace: 'ns', versions: ['1.0', '2.0'] },
  { format: 'cargo', versions: ['1.0.0', '2.0.0'] },
  { format: 'ruby', versions: ['1.0.0', '2.0.0'] },
  { format: 'swift', namespace: 'mona', versions: ['1.0.0', '2.0.0'] },
];

/**
 * One package name per group setting, the same in every format. `g1ook` differs from the group
 * `glook` only by a look-alike ('1' for 'l'): a WEAK match, blocked everywhere.
 */
export const GROUPED = {
  publishBlocked: 'gblock',
  publishSpecific: 'gspecific',
  lookAlikeGroup: 'glook',
  lookAlike: 'g1ook',
  internalBlocked: 'gint',
  internalSpecific: 'gintok',
  externalBlocked: 'gext',
  externalSpecific: 'gextok',
} as const;

export const groupPattern = (spec: GroupFormat, name: string) => `/${spec.format}/${spec.namespace ?? ''}/${name}$`;

/**
 * The message of a refusal as the format's client shows it, or why the answer is not in the
 * client's shape: npm's {error}, cargo's {errors[].detail}, SwiftPM's problem document, the
 * generic {code, message} and NuGet's {error, message} (its message also in the reason phrase
 * dotnet prints), and plain text for twine (also the reason phrase), mvn (likewise) and gem.
 */
/** The members of the formats' JSON refusals the clients read; the checks below test their types. */
interface RefusalJson {
  error?: string;
  errors?: { detail?: string }[];
  status?: number;
  detail?: string;
  code?: string;
  message?: string;
}

export function clientMessage(format: string, answer: Answer): { message?: string; problem?: string } {
  const type = answer.headers.get('content-type') ?? '';
  const text = answer.body.toString('utf8');
  const json = () => JSON.parse(text) as RefusalJson;
  try {
    switch (format) {
      case 'npm':
        return type.startsWith('application/json') && typeof json().error === 'string'
          ? { message: json().error }
          : { problem: `npm: ${type} ${text.slice(0, 120)}` };
      case 'cargo':
        return type.startsWith('application/json') && typeof json().errors?.[0]?.detail === 'string'
          ? { message: json().errors?.[0]?.detail }
          : { problem: `cargo: ${type} ${text.slice(0, 120)}` };
      case 'swift':
        return type === 'application/problem+json' && json().status === answer.status
          ? { message: json().detail }
          : { problem: `swift: ${type} ${text.slice(0, 120)}` };
      case 'generic':
        return type.startsWith('application/json') && json().code === 'AccessDenied'
          ? { message: json().message }
          : { problem: `generic: ${type} ${text.slice(0, 120)}` };
      case 'nuget':
        return type.startsWith('application/json') && json().error === 'AccessDenied' && answer.reason
          ? { message: `${json().message} | ${answer.reason}` }
          : { problem: `nuget: ${type} ${answer.reason} ${text.slice(0, 120)}` };
      case 'pypi':
      case 'maven':
        return type.startsWith('text/plain') && answer.reason && answer.reason !== 'Forbidden'
          ? { message: `${text} | ${answer.reason}` }
          : { problem: `${format}: ${type} ${answer.reason} ${text.slice(0, 120)}` };
      case 'ruby':
        return type.startsWith('text/plain') ? { message: text } : { problem: `ruby: ${type} ${text.slice(0, 120)}` };
    }
  } catch {
    return { problem: `${format}: not JSON: ${text.slice(0, 120)}` };
  }
  return { problem: `no error shape known for ${format}` };
}

export interface ReadOutcome {
  /** Status of the metadata read. */
  metadata: number;
  /** Whether the metadata lists the version. */
  listed: boolean;
  /** Status of the file read (the URL the metadata gives, or where it would be). */
  file: number;
}

async function get(url: string, token: string, accept?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers: { authorization: basicAuth(token), ...(accept ? { accept } : {}) } });
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('latin1') };
}

/** The members of the formats' JSON listings the reads look at (npm and NuGet both say `versions`). */
interface ListingJson {
  versions?: unknown;
  files?: { filename?: string }[];
  releases?: Record<string, unknown>;
  vers?: string;
}

const parsed = (text: string): ListingJson => {
  try {
    return JSON.parse(text) as ListingJson;
  } catch {
    return {};
  }
};

/** Reads one version of a package through `endpoint` as the format's client would, then its file. */
export async function readVersion(endpoint: string, token: string, spec: GroupFormat, name: string, version: string): Promise<ReadOutcome> {
  const nsPath = (spec.namespace ?? '').replace(/\./g, '/');
  const read = async (metadataPath: string, accept: string | undefined, listedIn: (text: string) => boolean, filePath: string, fileAccept?: string) => {
    const metadata = await get(`${endpoint}${metadataPath}`, token, accept);
    const listed = metadata.status === 200 && listedIn(metadata.text);
    const file = await get(new URL(filePath, `${endpoint}${metadataPath}`).href, token, fileAccept);
    return { metadata: metadata.status, listed, file: file.status };
  };
  switch (spec.format) {
    case 'npm':
      return read(name, 'application/json', (text) => Object.hasOwn(parsed(text).versions ?? {}, version), `${endpoint}${name}/-/${name}-${version}.tgz`);
    case 'pypi': {
      const file = buildWheel({ name, version }).fileName;
      return read(
        `simple/${name}/`,
        'application/vnd.pypi.simple.v1+json',
        (text) => (parsed(text).files ?? []).some((entry) => entry.filename === file),
        `${endpoint}simple/${name}/${version}/${file}`,
      );
    }
    case 'nuget':
      return read(
        `v3/package/${name}/index.json`,
        undefined,
        (text) => ((parsed(text).versions ?? []) as string[]).includes(version),
        `${endpoint}v3/package/${name}/${version}/${name}.${version}.nupkg`,
      );
    case 'maven':
      return read(
        `${nsPath}/${name}/maven-metadata.xml`,
        undefined,
        (text) => text.includes(`<version>${version}</version>`),
        `${endpoint}${nsPath}/${name}/${version}/${name}-${version}.jar`,
      );
    case 'cargo':
      return read(
        indexPathOf(name),
        undefined,
        (text) => text.split('\n').some((line) => parsed(line).vers === version),
        `${endpoint}api/v1/crates/${name}/${version}/download`,
      );
    case 'ruby':
      return read(
        `info/${name}`,
        undefined,
        (text) => text.split('\n').some((line) => line.startsWith(`${version} `)),
        `${endpoint}gems/${name}-${version}.gem`,
      );
    case 'swift':
      return read(
        `${spec.namespace}/${name}`,
        'application/vnd.swift.registry.v1+json',
        (text) => Object.hasOwn(parsed(text).releases ?? {}, version),
        `${endpoint}${spec.namespace}/${name}/${version}.zip`,
        'application/vnd.swift.registry.v1+zip',
      );
  }
  throw new Error(`No read for format ${spec.format}`);
}

export interface StandInRegistry {
  format: string;
  connection: string;
  /** The URL the connection is pointed at. */
  url: string;
  /** Paths the stand-in was asked for. */
  requests: string[];
  close(): Promise<void>;
}

/** A stand-in public registry for `spec.format` holding version 1 of each name, or undefined when the format has no external connection. */
export async function startStandIn(spec: GroupFormat, names: string[]): Promise<StandInRegistry | undefined> {
  const version = spec.versions[0];
  switch (spec.format) {
    case 'npm': {
      const fake = await startFakeNpmRegistry();
      for (const name of names) fake.add({ name, version });
      return {
        format: 'npm',
        connection: 'public:npmjs',
        url: fake.url.endsWith('/') ? fake.url : `${fake.url}/`,
        requests: fake.requests,
        close: () => fake.close(),
      };
    }
    case 'pypi': {
      const fake = await startFakePypiIndex();
      for (const name of names) fake.add({ name, version });
      return { format: 'pypi', connection: 'public:pypi', url: fake.url, requests: fake.requests, close: () => fake.close() };
    }
    case 'nuget': {
      const fake = await startFakeNuGetServer();
      for (const name of names) fake.add({ id: name, version });
      return { format: 'nuget', connection: 'public:nuget-org', url: `${fake.url}/v3/index.json`, requests: fake.requests, close: () => fake.close() };
    }
    case 'maven': {
      const fake = await startFakeMavenRepo(undefined);
      const base = (spec.namespace as string).replace(/\./g, '/');
      for (const name of names) {
        fake.addFile(`${base}/${name}/${version}/${name}-${version}.jar`, buildJar({ [`${name}/A.class`]: name }));
        fake.addFile(`${base}/${name}/${version}/${name}-${version}.pom`, buildPom({ groupId: spec.namespace as string, artifactId: name, version }));
      }
      return {
        format: 'maven',
        connection: 'public:maven-central',
        url: fake.url.endsWith('/') ? fake.url : `${fake.url}/`,
        requests: fake.requests,
        close: () => fake.close(),
      };
    }
    case 'cargo': {
      const fake = await startFakeCargoIndex();
      for (const name of names) fake.add(name, version);
      return { format: 'cargo', connection: 'public:crates-io', url: fake.url, requests: fake.requests, close: () => fake.close() };
    }
    case 'ruby': {
      const fake = await startFakeRubygems();
      for (const name of names) fake.add({ name, version });
      return { format: 'ruby', connection: 'public:ruby-gems-org', url: fake.url, requests: fake.requests, close: () => fake.close() };
    }
  }
  return undefined;
}
