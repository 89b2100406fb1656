/** How a PyPI readme is shown on the web pages: reStructuredText is shown as text rather than misread as Markdown. */
export function looksLikeRestructuredText(text: string): boolean {
  const directive = /^\.\. ([a-z-]+::|_[^:\n]+:)/m.test(text);
  const literalBlock = /^[^\n]+\n(={3,}|-{3,}|~{3,})\s*$/m.test(text) && /::\s*$/m.test(text);
  return directive || literalBlock;
}
