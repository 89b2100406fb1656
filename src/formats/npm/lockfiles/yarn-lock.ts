/** yarn.lock: Yarn 1's own format and Yarn 2+'s YAML. */
import { uniqueLocked, type LockedPackage } from './locked-package.js';
import { parseLockfileYaml } from './lockfile-yaml.js';

export function parseYarnLock(text: string, file: string): LockedPackage[] {
  return text.includes('__metadata:') ? parseBerry(text, file) : parseClassic(text);
}

/**
 * Name from a descriptor such as `"@scope/name@^1.0.0"` or `name@npm:1.2.3`. An alias
 * (`"string-width-cjs@npm:string-width@^4.2.0"`) installs the package after `npm:` under
 * another folder name; the registry knows it by the real name.
 */
function descriptorName(descriptor: string): string | undefined {
  const clean = descriptor.trim().replace(/^"|"$/g, '');
  const at = clean.indexOf('@', clean.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  const range = clean.slice(at + 1);
  if (range.startsWith('npm:') && /^npm:@?[^@]+@/.test(range)) return descriptorName(range.slice('npm:'.length));
  return clean.slice(0, at);
}

function parseClassic(text: string): LockedPackage[] {
  const found: LockedPackage[] = [];
  let name: string | undefined;
  let version: string | undefined;
  let integrity: string | undefined;
  let resolved: string | undefined;
  const flush = () => {
    if (name && version && (!resolved || /^https?:/.test(resolved))) found.push({ name, version, integrity });
    name = version = integrity = resolved = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      flush();
      name = descriptorName(line.replace(/:$/, '').split(',')[0]);
      continue;
    }
    const match = /^\s+(version|integrity|resolved)\s+"?([^"]*)"?$/.exec(line);
    if (!match) continue;
    if (match[1] === 'version') version = match[2];
    else if (match[1] === 'integrity') integrity = match[2];
    else resolved = match[2];
  }
  flush();
  return uniqueLocked(found);
}

function parseBerry(text: string, file: string): LockedPackage[] {
  const document = parseLockfileYaml(text, file) as Record<string, { version?: string; resolution?: string; checksum?: string }> | undefined;
  const found: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(document ?? {})) {
    if (key === '__metadata' || !entry?.version || !entry.resolution) continue;
    // Only registry packages ("name@npm:1.2.3"); workspaces, patches and git sources are local.
    const resolution = /^(@?[^@]+)@npm:(.+)$/.exec(entry.resolution);
    if (resolution) found.push({ name: resolution[1], version: resolution[2] });
  }
  return uniqueLocked(found);
}
