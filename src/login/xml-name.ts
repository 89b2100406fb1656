/**
 * XML name encoding as .NET's XmlConvert.EncodeLocalName does it, which NuGet uses to turn a
 * source name into the element name under <packageSourceCredentials>: a character that may not
 * appear in a name becomes `_xHHHH_`, and '_' is escaped when it would read as such a sequence.
 */

const ESCAPE_SEQUENCE = /^_[Xx]([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})_/;

export function encodeXmlName(name: string): string {
  let encoded = '';
  const chars = [...name];
  chars.forEach((char, index) => {
    const rest = chars.slice(index).join('');
    const isValid = index === 0 ? isNameStartChar(char) : isNameChar(char);
    if (char === '_' && ESCAPE_SEQUENCE.test(rest)) encoded += '_x005F_';
    else if (isValid) encoded += char;
    else encoded += escapeChar(char);
  });
  return encoded;
}

export function decodeXmlName(name: string): string {
  return name.replace(/_[Xx]([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `_x${code.toString(16).toUpperCase().padStart(8, '0')}_` : `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
}

// ':' is left out: in a local name it would start a namespace prefix.
function isNameStartChar(char: string): boolean {
  if (/^[A-Za-z_]$/.test(char)) return true;
  const code = char.codePointAt(0) ?? 0;
  return code >= 0xc0 && code !== 0xd7 && code !== 0xf7;
}

function isNameChar(char: string): boolean {
  return isNameStartChar(char) || /^[0-9.\-\u00b7]$/.test(char);
}
