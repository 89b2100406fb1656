/**
 * Builds .nupkg files laid out as `dotnet pack` writes them: the .nuspec at the root,
 * [Content_Types].xml, _rels/.rels, the core-properties part and a lib/<tfm>/<id>.dll, plus a
 * readme when asked. Options break the layout on purpose for the bad-input tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import AdmZip from 'adm-zip';

export interface NupkgDependency {
  id: string;
  version?: string;
}

export interface NupkgSpec {
  id: string;
  version: string;
  authors?: string;
  description?: string;
  tags?: string[];
  title?: string;
  licenseExpression?: string;
  projectUrl?: string;
  /** Groups by target framework; a group without one is written as a flat list. */
  dependencyGroups?: { targetFramework?: string; dependencies: NupkgDependency[] }[];
  /** A README.md packed at the root and named in the nuspec. */
  readme?: string;
  packageTypes?: string[];
  /** Replaces the generated nuspec text entirely. */
  nuspecText?: string;
  /** Name of the nuspec entry (dotnet pack uses "<id>.nuspec"). */
  nuspecName?: string;
  omitNuspec?: boolean;
  /** More entries, e.g. a second .nuspec. */
  extraEntries?: Record<string, string | Buffer>;
  targetFramework?: string;
}

export interface BuiltNupkg {
  bytes: Buffer;
  nuspec: string;
  /** SHA-512 base64, what NuGet records as contentHash. */
  sha512Base64: string;
  sha256: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function nuspecXml(spec: NupkgSpec): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">',
    '  <metadata>',
    `    <id>${escapeXml(spec.id)}</id>`,
    `    <version>${escapeXml(spec.version)}</version>`,
  ];
  if (spec.title) lines.push(`    <title>${escapeXml(spec.title)}</title>`);
  lines.push(`    <authors>${escapeXml(spec.authors ?? 'Acme Tests')}</authors>`);
  if (spec.licenseExpression) lines.push(`    <license type="expression">${escapeXml(spec.licenseExpression)}</license>`);
  if (spec.projectUrl) lines.push(`    <projectUrl>${escapeXml(spec.projectUrl)}</projectUrl>`);
  if (spec.readme) lines.push('    <readme>README.md</readme>');
  lines.push(`    <description>${escapeXml(spec.description ?? 'Package Description')}</description>`);
  if (spec.tags?.length) lines.push(`    <tags>${escapeXml(spec.tags.join(' '))}</tags>`);
  if (spec.packageTypes?.length) {
    lines.push('    <packageTypes>', ...spec.packageTypes.map((name) => `      <packageType name="${escapeXml(name)}" />`), '    </packageTypes>');
  }
  if (spec.dependencyGroups?.length) {
    lines.push('    <dependencies>');
    for (const group of spec.dependencyGroups) {
      const entries = group.dependencies.map(
        (dependency) =>
          `<dependency id="${escapeXml(dependency.id)}"${dependency.version ? ` version="${escapeXml(dependency.version)}"` : ''} exclude="Build,Analyzers" />`,
      );
      if (group.targetFramework === undefined) lines.push(...entries.map((entry) => `      ${entry}`));
      else lines.push(`      <group targetFramework="${escapeXml(group.targetFramework)}">`, ...entries.map((entry) => `        ${entry}`), '      </group>');
    }
    lines.push('    </dependencies>');
  }
  lines.push('  </metadata>', '</package>', '');
  return lines.join('\r\n');
}

export function buildNupkg(spec: NupkgSpec): BuiltNupkg {
  const nuspec = spec.nuspecText ?? nuspecXml(spec);
  const nuspecName = spec.nuspecName ?? `${spec.id}.nuspec`;
  const propertiesName = `package/services/metadata/core-properties/${randomBytes(16).toString('hex')}.psmdcp`;
  const framework = spec.targetFramework ?? 'net8.0';
  const zip = new AdmZip();
  zip.addFile(
    '_rels/.rels',
    Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${nuspecName}" Id="R1" />` +
        `<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/${propertiesName}" Id="R2" /></Relationships>`,
    ),
  );
  if (!spec.omitNuspec) zip.addFile(nuspecName, Buffer.from(nuspec));
  zip.addFile(`lib/${framework}/${spec.id}.dll`, Buffer.concat([Buffer.from('MZ'), randomBytes(2048)]));
  if (spec.readme) zip.addFile('README.md', Buffer.from(spec.readme));
  zip.addFile(
    propertiesName,
    Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">' +
        `<dc:creator>${escapeXml(spec.authors ?? 'Acme Tests')}</dc:creator><identifier>${escapeXml(spec.id)}</identifier><version>${escapeXml(spec.version)}</version></coreProperties>`,
    ),
  );
  for (const [name, content] of Object.entries(spec.extraEntries ?? {})) zip.addFile(name, Buffer.isBuffer(content) ? content : Buffer.from(content));
  zip.addFile(
    '[Content_Types].xml',
    Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="nuspec" ContentType="application/octet" />' +
        '<Default Extension="dll" ContentType="application/octet" /><Default Extension="md" ContentType="application/octet" />' +
        '<Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /></Types>',
    ),
  );
  const bytes = zip.toBuffer();
  return {
    bytes,
    nuspec,
    sha512Base64: createHash('sha512').update(bytes).digest('base64'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
