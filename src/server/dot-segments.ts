/**
 * A request path with a `.` or `..` segment, spelled plainly, percent-encoded (`%2e%2e`) or
 * after a backslash. URL parsing resolves such segments before routing, so
 * `/acme/npm/main/%2e%2e/other/x` would be answered as a request to repository `other`: no
 * real client sends them, and a proxy that filters by path prefix would be fooled, so the
 * server refuses them (docs/server.md, the "Paths" item).
 */
const DOT_SEGMENT = /(?:^|[/\\])(?:\.|%2e){1,2}(?=[/\\?#]|$)/i;

export function hasDotSegment(requestUrl: string): boolean {
  const queryAt = requestUrl.indexOf('?');
  return DOT_SEGMENT.test(queryAt < 0 ? requestUrl : requestUrl.slice(0, queryAt));
}
