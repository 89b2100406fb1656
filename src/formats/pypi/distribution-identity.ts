/**
 * When two distribution file names are the same distribution to pip: a wheel of one release
 * with the same build tag and compatibility tags, or an sdist of one release in the same
 * archive type. Names that differ only in how the project or version is spelled
 * (`Foo_Bar-1.0-py3-none-any.whl` and `foo_bar-1.0.0-py3-none-any.whl`) are one candidate to
 * pip, which takes whichever the page lists last, so a second one would replace the first.
 */
import { canonicalVersion } from './pep440.js';
import { parseDistributionFile, sdistSuffix } from './project-name.js';

/** A key equal for two file names exactly when pip treats them as the same file; undefined when not a distribution of `project`. */
export function distributionIdentity(fileName: string, project: string): string | undefined {
  const parsed = parseDistributionFile(fileName, project);
  if (!parsed || parsed.project !== project) return undefined;
  const release = canonicalVersion(parsed.version) ?? parsed.version;
  if (parsed.kind === 'wheel') {
    // name-version(-build)?-python-abi-platform; the build tag and tags as pip compares them.
    const parts = fileName.slice(0, -'.whl'.length).split('-');
    return ['wheel', release, ...parts.slice(2).map((part) => part.toLowerCase())].join(' ');
  }
  return `sdist ${release} ${sdistSuffix(fileName)}`;
}

/** The stored file name that is the same distribution as `fileName` under another spelling, if any. */
export function sameDistributionAs(fileName: string, project: string, storedNames: readonly string[]): string | undefined {
  const identity = distributionIdentity(fileName, project);
  if (identity === undefined) return undefined;
  return storedNames.find((stored) => stored !== fileName && distributionIdentity(stored, project) === identity);
}
