/**
 * Which requests are CodeArtifact API calls: those whose path starts with /v1/ and whose second
 * segment is not a mounted package format. Package endpoints are /<domain>/<format>/<repo>/...,
 * so a domain named v1 keeps its endpoints (/v1/npm/<repo>/...), and no API path of the model
 * has a format name in that place (docs/api.md).
 */
export function isApiPath(url: string, formats: ReadonlySet<string>): boolean {
  if (!url.startsWith('/v1/')) return false;
  const end = url.slice(4).search(/[/?]/);
  return !formats.has(end < 0 ? url.slice(4) : url.slice(4, 4 + end));
}
