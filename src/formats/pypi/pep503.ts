/** PEP 503's normal form of a project name: what the store, the URLs and package groups use. */

/** Lowercase, and every run of '-', '_' and '.' becomes one '-'. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
