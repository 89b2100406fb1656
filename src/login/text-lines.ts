/** Line handling shared by the line-based writers: keep the file's own line ending. */

export interface Lines {
  lines: string[];
  eol: string;
}

/** Splits a file into lines without their endings; the file's ending style is kept for writing back. */
export function splitLines(text: string | undefined): Lines {
  const source = text ?? '';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  // A final line ending yields one empty string at the end; it is added back by joinLines.
  if (lines[lines.length - 1] === '') lines.pop();
  return { lines, eol };
}

/** Joins lines back into a file that ends with a line ending. */
export function joinLines({ lines, eol }: Lines): string {
  return lines.length === 0 ? '' : lines.join(eol) + eol;
}

/** Index after the last line that is not blank in [start, end), so new lines go before a section's trailing blank lines. */
export function endOfContent(lines: string[], start: number, end: number): number {
  let index = end;
  while (index > start && lines[index - 1].trim() === '') index -= 1;
  return index;
}
