/**
 * How many tags a document opens or closes, roughly: its '<' characters. XML parsers pay per
 * element far more than per byte, so this bounds a document's parsing cost before it starts.
 */
export function markupCount(text: string): number {
  let count = 0;
  for (let index = text.indexOf('<'); index !== -1; index = text.indexOf('<', index + 1)) count++;
  return count;
}
