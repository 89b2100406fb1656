/**
 * Gem names, versions, platforms and the file names built from them (docs/formats/ruby.md,
 * "Names"). Names are exact and case-sensitive; a version may not hold '-', since the compact
 * index splits `version-platform` at the first '-'.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,213}$/;
const VERSION = /^[0-9]+(\.[0-9A-Za-z]+)*$/;
const PLATFORM = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
export const RUBY_PLATFORM = 'ruby';

export function isGemName(name: string): boolean {
  return NAME.test(name) && /[A-Za-z]/.test(name);
}

export function isGemVersion(version: string): boolean {
  return version.length <= 128 && VERSION.test(version);
}

export function isGemPlatform(platform: string): boolean {
  return PLATFORM.test(platform);
}

/** `1.0.0` or `1.0.0-java`, as the compact index and file names write a version of a platform. */
export function versionAndPlatform(version: string, platform: string): string {
  return platform === RUBY_PLATFORM ? version : `${version}-${platform}`;
}

export function gemFileName(name: string, version: string, platform: string): string {
  return `${name}-${versionAndPlatform(version, platform)}.gem`;
}

export interface FullName {
  name: string;
  version: string;
  platform: string;
}

/**
 * Every way `<name>-<version>[-<platform>]` splits into valid parts (names may hold '-' and
 * digits, so more than one split can be valid); the caller keeps the one that is stored.
 */
export function splitFullName(fullName: string): FullName[] {
  const found: FullName[] = [];
  for (let dash = fullName.indexOf('-'); dash > 0; dash = fullName.indexOf('-', dash + 1)) {
    const name = fullName.slice(0, dash);
    const rest = fullName.slice(dash + 1);
    const split = rest.indexOf('-');
    const version = split < 0 ? rest : rest.slice(0, split);
    const platform = split < 0 ? RUBY_PLATFORM : rest.slice(split + 1);
    if (isGemName(name) && isGemVersion(version) && isGemPlatform(platform)) found.push({ name, version, platform });
  }
  return found;
}
